import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A typed array MPI moves: float32, float64 or bytes. */
export type MpiBuffer = Float32Array | Float64Array | Uint8Array;

/** The compiled binding (`native/mpi.cc`). Every call blocks the JS thread. */
export interface MpiAddon {
  init(): { rank: number; size: number; library: string; loaded: string };
  /** With `timeoutSeconds` > 0 it polls and aborts the job past the timeout. */
  allreduce(buf: MpiBuffer, op: 'sum' | 'max' | 'min', timeoutSeconds?: number): void;
  bcast(buf: MpiBuffer, root: number): void;
  barrier(): void;
  abort(code: number): void;
  finalize(): void;
  wtime(): number;
}

/** Where the binding is built (the same path from `src/` and `dist/`). */
export const MPI_ADDON_PATH = fileURLToPath(new URL('../build/Release/deepspike_mpi.node', import.meta.url));

let cached: MpiAddon | undefined;

/**
 * Loads the MPI binding once.
 * @returns the binding, or the reason it does not load (not built: no MPI at build time)
 */
export function loadMpiAddon(): MpiAddon | { error: string } {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)(MPI_ADDON_PATH) as MpiAddon;
    return cached;
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { error: code === 'MODULE_NOT_FOUND' ? 'no such file (MPI was not found when it was built)' : String(err instanceof Error ? err.message : err).split('\n')[0]! };
  }
}

/** Whether the MPI binding is built and loads (never initialises MPI). */
export function mpiAvailable(): boolean {
  return !('error' in loadMpiAddon());
}
