import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let loaded = false;

/**
 * The folder holding tfjs-backend-wasm's `.wasm` binaries (its own `dist/`), with a trailing slash
 * as `setWasmPaths` wants.
 */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

/**
 * Imports `@tensorflow/tfjs-backend-wasm` and points it at its own binaries. Idempotent.
 * (Under Node the wasm backend runs single-threaded with SIMD.)
 */
export async function loadWasmBackend(): Promise<void> {
  if (loaded) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinaryDir());
  loaded = true;
}
