import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepSpikeError } from '@deepspike/core';
import { mpiAvailable, MPI_ADDON_PATH } from '@deepspike/distributed';
import { resolveModelFile } from '../accuracy/model-file.js';

/** One configuration's per-step figures (medians over the timed steps; all-reduce figures are rank 0's). */
export interface DistributedRow {
  readonly ranks: number;
  readonly threadsPerRank: number;
  /** Trained with deterministic reductions (`train({ deterministic: true })`). */
  readonly deterministic: boolean;
  readonly library: string;
  readonly globalBatch: number;
  readonly steps: number;
  /** Median wall time of a step (ms). */
  readonly stepMs: number;
  /** The step minus its all-reduces and the imbalance wait (ms). */
  readonly computeMs: number;
  /** The fused gradient all-reduce per step (ms, bytes of the buffer: 4 × (parameters + 4)). */
  readonly gradAllreduceMs: number;
  readonly gradAllreduceBytes: number;
  /** Time rank 0 waited at a barrier before the gradient all-reduce for the slowest rank (ms; the ranks' imbalance). */
  readonly imbalanceWaitMs: number;
  /** The gradient buffer all-reduced alone after training (median of 10, after a barrier each): the transfer cost (ms). */
  readonly allreduceAloneMs: number;
  /** SyncBatchNorm's all-reduces per step (ms, bytes, calls). */
  readonly statsAllreduceMs: number;
  readonly statsAllreduceBytes: number;
  readonly statsAllreduceCalls: number;
  readonly samplesPerSec: number;
}

/** Result of {@link runDistributedBench}. */
export interface DistributedBenchResult {
  readonly model: string;
  readonly rows: DistributedRow[];
  /** samples/s of N = 2 (1 thread each) over 1 process × 2 threads, and over 1 process × 1 thread. */
  readonly ratios: { readonly twoRanksVsTwoThreads: number; readonly twoRanksVsOneThread: number };
  /** With `deterministic`: each configuration's deterministic step time over its plain one (same run). */
  readonly deterministicCost?: { readonly oneThread: number; readonly twoThreads: number; readonly twoRanks: number };
}

/** Options of {@link runDistributedBench}. */
export interface DistributedBenchOptions {
  /** Model file or its folder (default the repository's examples/mnist-tdbn). */
  readonly model?: string;
  readonly steps?: number;
  readonly warmup?: number;
  /** Extra mpirun options (default `--oversubscribe --bind-to none`). */
  readonly mpirunArgs?: readonly string[];
  /** Also run every configuration with deterministic reductions and report their cost. */
  readonly deterministic?: boolean;
  readonly log?: (line: string) => void;
}

/** The worker script beside this module (worker.ts from source under tsx, worker.js from dist). */
function workerPath(): string {
  const ts = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(ts ? './worker.ts' : './worker.js', import.meta.url));
}

function runWorker(ranks: number, threads: number, args: string[], mpirunArgs: readonly string[]): Promise<DistributedRow> {
  const nodeCmd = [process.execPath, ...process.execArgv, workerPath(), ...args];
  const cmd = ranks === 1 ? nodeCmd : ['mpirun', '-np', String(ranks), ...mpirunArgs, ...nodeCmd];
  const env = { ...process.env, DEEPSPIKE_THREADS: String(threads), OMPI_ALLOW_RUN_AS_ROOT: process.env.OMPI_ALLOW_RUN_AS_ROOT ?? '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: process.env.OMPI_ALLOW_RUN_AS_ROOT_CONFIRM ?? '1' };
  const child = spawn(cmd[0]!, cmd.slice(1), { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new DeepSpikeError(`bench distributed: the ${ranks}-rank run failed, got exit code ${code}; expected a JSON line. ${err.trim().split('\n').slice(-6).join(' | ')}`));
      else resolve(JSON.parse(line) as DistributedRow);
    }),
  );
}

/**
 * Data-parallel scaling on this machine: the same training steps (the production path of
 * `train()`) on 1 process × 1 thread, 1 process × 2 threads and 2 MPI ranks × 1 thread, each
 * reporting its per-step compute time, fused gradient all-reduce time and bytes, SyncBatchNorm
 * all-reduces and samples/s. The global batch is the model file's in every configuration.
 * @throws DeepSpikeError when mpirun or the MPI binding is missing (naming what to install)
 */
export async function runDistributedBench(options: DistributedBenchOptions = {}): Promise<DistributedBenchResult> {
  const log = options.log ?? (() => {});
  const probe = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0 || !mpiAvailable()) {
    throw new DeepSpikeError(
      `bench distributed: needs mpirun and the MPI binding ${MPI_ADDON_PATH}, got ${probe.error || probe.status !== 0 ? 'no mpirun on PATH' : 'no binding (MPI was not found when it was built)'}; ` +
        'expected an MPI installation. Install OpenMPI (apt-get install -y openmpi-bin libopenmpi-dev) and run `npm run build:addon -w @deepspike/distributed`.',
    );
  }
  const model = resolveModelFile(options.model ?? fileURLToPath(new URL('../../../../examples/mnist-tdbn', import.meta.url)));
  const steps = options.steps ?? 10;
  const warmup = options.warmup ?? 2;
  const mpirunArgs = options.mpirunArgs ?? ['--oversubscribe', '--bind-to', 'none'];
  const rows: DistributedRow[] = [];
  for (const deterministic of options.deterministic ? [false, true] : [false]) {
    for (const [ranks, threads] of [[1, 1], [1, 2], [2, 1]] as const) {
      const out = mkdtempSync(join(tmpdir(), 'deepspike-bench-dp-'));
      try {
        log(`bench distributed: ${ranks} rank(s) × ${threads} thread(s)${deterministic ? ', deterministic' : ''}, ${warmup} + ${steps} steps of ${model}`);
        const args = [model, String(warmup), String(steps), out, ...(deterministic ? ['deterministic'] : [])];
        rows.push(await runWorker(ranks, threads, args, mpirunArgs));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  const row = (r: number, t: number, det = false): DistributedRow => rows.find((x) => x.ranks === r && x.threadsPerRank === t && x.deterministic === det)!;
  const sps = (r: number, t: number): number => row(r, t).samplesPerSec;
  const cost = (r: number, t: number): number => row(r, t, true).stepMs / row(r, t).stepMs;
  return {
    model,
    rows,
    ratios: { twoRanksVsTwoThreads: sps(2, 1) / sps(1, 2), twoRanksVsOneThread: sps(2, 1) / sps(1, 1) },
    ...(options.deterministic ? { deterministicCost: { oneThread: cost(1, 1), twoThreads: cost(1, 2), twoRanks: cost(2, 1) } } : {}),
  };
}

/** The result as a text table. */
export function distributedTable(r: DistributedBenchResult): string {
  const head = ['ranks × threads', 'step ms', 'compute ms', 'imbalance wait ms', 'grad all-reduce ms', 'alone ms', 'grad bytes', 'SyncBN all-reduce ms (calls)', 'samples/s'];
  const lines = r.rows.map((x) => [
    `${x.ranks} × ${x.threadsPerRank}${x.deterministic ? ' det' : ''}`,
    x.stepMs.toFixed(1),
    x.computeMs.toFixed(1),
    x.imbalanceWaitMs.toFixed(1),
    x.gradAllreduceMs.toFixed(2),
    x.allreduceAloneMs.toFixed(2),
    String(Math.round(x.gradAllreduceBytes)),
    `${x.statsAllreduceMs.toFixed(2)} (${Math.round(x.statsAllreduceCalls)})`,
    x.samplesPerSec.toFixed(1),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (l: string[]): string => l.map((c, i) => c.padStart(w[i] as number)).join('  ');
  return [
    `${r.model}, global batch ${r.rows[0]?.globalBatch}`,
    fmt(head),
    ...lines.map(fmt),
    `2 ranks × 1 thread vs 1 process × 2 threads: ${r.ratios.twoRanksVsTwoThreads.toFixed(2)}×; vs 1 process × 1 thread: ${r.ratios.twoRanksVsOneThread.toFixed(2)}×`,
    ...(r.deterministicCost
      ? [`deterministic reductions, step time over plain: 1 × 1 ${r.deterministicCost.oneThread.toFixed(2)}×, 1 × 2 ${r.deterministicCost.twoThreads.toFixed(2)}×, 2 × 1 ${r.deterministicCost.twoRanks.toFixed(2)}×`]
      : []),
  ].join('\n');
}
