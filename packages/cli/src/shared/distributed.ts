import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { detectLaunch, initMpi, type Communicator } from '@deepspike/distributed';
import { CliError } from './cli-error.js';

export { detectLaunch };

/**
 * The job this `deepspike train` belongs to: null for a plain single process; under
 * `mpirun`/`srun` (rank and size in the environment, size > 1) MPI is initialised and, unless
 * `DEEPSPIKE_THREADS` is set, the native backend gets the cores of this node shared among the
 * node's ranks (so N ranks on one machine do not oversubscribe it N-fold).
 * @throws DeepSpikeError when launched by MPI but the binding was not built (naming what to install)
 */
export function joinJob(where: string): Communicator | null {
  const launch = detectLaunch();
  if (launch.size <= 1) return null;
  if (process.env.DEEPSPIKE_THREADS === undefined) {
    const local = Number(process.env.OMPI_COMM_WORLD_LOCAL_SIZE ?? process.env.MPI_LOCALNRANKS ?? process.env.SLURM_NTASKS_PER_NODE ?? launch.size);
    process.env.DEEPSPIKE_THREADS = String(Math.max(1, Math.floor(availableParallelism() / Math.max(1, local || 1))));
  }
  return initMpi(where);
}

/**
 * Runs `fn` as one rank of a job: an error on any rank is printed with the rank and ends the whole
 * job (MPI_Abort), so the other ranks never wait in a collective for a rank that has given up;
 * success finalises MPI.
 */
export async function asRank(comm: Communicator, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`deepspike (rank ${comm.rank} of ${comm.size}): ${msg}`);
    if (!(err instanceof Error) || !('exitCode' in err) || process.env.DEEPSPIKE_DEBUG) console.error(err instanceof Error ? err.stack : '');
    comm.abort(1);
  }
  comm.finalize();
}

/**
 * `deepspike train … --ranks N`: starts `mpirun -np N --oversubscribe` on this same command line
 * (without `--ranks`), forwarding its output and exit code. Extra mpirun options come from
 * `DEEPSPIKE_MPIRUN_ARGS` (e.g. `--allow-run-as-root --bind-to none`).
 * @returns mpirun's exit code
 */
export async function spawnRanks(where: string, ranks: number, argv: readonly string[]): Promise<number> {
  const mpirun = process.env.DEEPSPIKE_MPIRUN || 'mpirun';
  const probe = spawnSync(mpirun, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new CliError(
      `deepspike ${where}: --ranks ${ranks} starts ${mpirun}, got ${probe.error ? probe.error.message : `exit status ${probe.status}`}; expected an MPI launcher on PATH. ` +
        'Install OpenMPI (Debian/Ubuntu: `apt-get install -y openmpi-bin libopenmpi-dev`) or set DEEPSPIKE_MPIRUN.',
      2,
    );
  }
  const args: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--ranks') i++;
    else if (!a.startsWith('--ranks=')) args.push(a);
  }
  const extra = (process.env.DEEPSPIKE_MPIRUN_ARGS ?? '').split(/\s+/).filter(Boolean);
  const cmd = ['-np', String(ranks), '--oversubscribe', ...extra, process.execPath, ...process.execArgv, argv[1] as string, ...args];
  const child = spawn(mpirun, cmd, { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
