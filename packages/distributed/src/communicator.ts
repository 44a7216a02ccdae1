import { DeepSpikeError } from '@deepspike/core';
import { detectLaunch } from './launch.js';
import { messages } from './messages.js';
import { loadMpiAddon, MPI_ADDON_PATH, type MpiAddon, type MpiBuffer } from './mpi-addon.js';

/** Time and volume spent in collectives so far (the bench reads them). */
export interface CollectiveStats {
  calls: number;
  /** Payload bytes of each rank's buffers (not the wire traffic of the algorithm). */
  bytes: number;
  seconds: number;
}

/**
 * The collectives of data-parallel training over the processes of one job (MPI_COMM_WORLD).
 * Every call is blocking and must be made by every rank in the same order.
 */
export interface Communicator {
  readonly rank: number;
  readonly size: number;
  /** The MPI library's version line (`Open MPI v4.1.4, …`), or `local`. */
  readonly library: string;
  /** In-place element-wise reduction over every rank (default `sum`). */
  allreduce(buf: MpiBuffer, op?: 'sum' | 'max' | 'min'): void;
  /** Overwrites `buf` on every rank with root's (default rank 0). */
  bcast(buf: MpiBuffer, root?: number): void;
  barrier(): void;
  /** Ends every process of the job with `code` (MPI_Abort); never returns. */
  abort(code?: number): never;
  /** MPI_Finalize (idempotent); call once all ranks are done. */
  finalize(): void;
  /** Totals of allreduce calls (bytes = this rank's buffer bytes). */
  readonly allreduceStats: CollectiveStats;
}

/** The communicator of a single process: every collective is the identity. */
export function localCommunicator(): Communicator {
  return {
    rank: 0,
    size: 1,
    library: 'local',
    allreduce: () => {},
    bcast: () => {},
    barrier: () => {},
    abort: (code = 1) => process.exit(code),
    finalize: () => {},
    allreduceStats: { calls: 0, bytes: 0, seconds: 0 },
  };
}

class MpiCommunicator implements Communicator {
  readonly allreduceStats: CollectiveStats = { calls: 0, bytes: 0, seconds: 0 };
  constructor(private readonly mpi: MpiAddon, readonly rank: number, readonly size: number, readonly library: string, private readonly timeout: number) {}

  allreduce(buf: MpiBuffer, op: 'sum' | 'max' | 'min' = 'sum'): void {
    if (op !== 'sum' && op !== 'max' && op !== 'min') throw new DeepSpikeError(messages.badOp('Communicator.allreduce', op));
    const t0 = performance.now();
    this.mpi.allreduce(buf, op, this.timeout);
    const s = this.allreduceStats;
    s.seconds += (performance.now() - t0) / 1000;
    s.calls++;
    s.bytes += buf.byteLength;
  }
  bcast(buf: MpiBuffer, root = 0): void {
    this.mpi.bcast(buf, root);
  }
  barrier(): void {
    this.mpi.barrier();
  }
  abort(code = 1): never {
    this.mpi.abort(code);
    process.exit(code);
  }
  finalize(): void {
    this.mpi.finalize();
  }
}

let world: Communicator | undefined;

/**
 * `DEEPSPIKE_COLLECTIVE_TIMEOUT` (seconds; default 0 = wait for ever): how long an all-reduce waits
 * for the other ranks before it aborts the job, naming the rank that gave up. A rank that dies is
 * caught by the launcher at once (mpirun/srun end the job); this catches one that hangs. Set it above
 * the longest pause of rank 0 between steps (its evaluation of the test split, a checkpoint).
 */
function collectiveTimeout(where: string): number {
  const v = process.env.DEEPSPIKE_COLLECTIVE_TIMEOUT;
  if (v === undefined || v === '') return 0;
  const t = Number(v);
  if (!(Number.isFinite(t) && t >= 0)) throw new DeepSpikeError(messages.badTimeout(where, v));
  return t;
}

/**
 * Initialises MPI once (MPI_Init) and returns the communicator of every process of the job.
 * The binding is built only where MPI was found at build time; without it this throws, naming the
 * packages to install, rather than training on one process.
 * @throws DeepSpikeError when the binding is missing or MPI disagrees with the launcher's environment
 */
export function initMpi(where = 'distributed'): Communicator {
  if (world) return world;
  const mpi = loadMpiAddon();
  if ('error' in mpi) throw new DeepSpikeError(messages.noMpi(where, MPI_ADDON_PATH, mpi.error));
  const info = mpi.init();
  const launch = detectLaunch();
  if (launch.launcher !== 'none' && launch.size !== info.size) throw new DeepSpikeError(messages.sizeMismatch(where, launch.size, info.size));
  const timeout = collectiveTimeout(where);
  world = new MpiCommunicator(mpi, info.rank, info.size, info.library, timeout);
  return world;
}
