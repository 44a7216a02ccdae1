import { runTrainingBench } from './training.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';
import { messages } from './messages.js';

/** Options of {@link runScalingBench}. */
export interface ScalingBenchOptions {
  /** Workloads (default both). */
  readonly workloads?: readonly WorkloadName[];
  /** Thread counts of the native pool (default 1 and 2). */
  readonly threads?: readonly number[];
  /** Micro-kernel instruction sets (default `auto` and `avx2`: what a machine without AVX-512 runs). */
  readonly simd?: readonly string[];
  readonly steps?: number;
  readonly warmup?: number;
  readonly log?: (line: string) => void;
}

/** One configuration's training step. */
export interface ScalingRow {
  readonly workload: WorkloadName;
  readonly threads: number;
  /** The instruction set asked for and the one the GEMM micro-kernel ran. */
  readonly simdAsked: string;
  readonly simd: string;
  readonly medianMs: number;
  readonly samplesPerSec: number;
  /** samplesPerSec / the same workload's at 1 thread with the same instruction set (null without that row). */
  readonly speedupVs1Thread: number | null;
  /** medianMs / the same workload's with `auto` at the same threads (null without that row): > 1 is slower. */
  readonly timeVsAuto: number | null;
}

/** What `deepspike bench scaling` prints. */
export interface ScalingBenchResult {
  readonly backend: string;
  readonly rows: ScalingRow[];
}

/**
 * The training step of each workload on the native backend at every thread count and instruction set,
 * side by side in one process: thread scaling (samples/s at 1 and 2 threads) and the cost of running
 * without AVX-512 (`avx2`). Only the GEMM micro-kernel follows the instruction-set setting; the
 * element-wise loops compiled per ISA (target_clones) keep the CPU's best.
 */
export async function runScalingBench(opts: ScalingBenchOptions = {}): Promise<ScalingBenchResult> {
  const workloads = opts.workloads ?? WORKLOADS;
  for (const w of workloads) if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(messages.badWorkload(w));
  const threads = opts.threads ?? [1, 2];
  for (const t of threads) if (!Number.isInteger(t) || t < 1) throw new Error(messages.badCount('--threads', t, 1));
  const simds = opts.simd ?? ['auto', 'avx2'];
  const log = opts.log ?? (() => {});
  let native: typeof import('@deepspike/backend-native');
  try {
    native = await import('@deepspike/backend-native');
  } catch (err) {
    throw new Error(messages.scalingNeedsNative(err instanceof Error ? err.message : String(err)), { cause: err });
  }
  if (!native.nativeAvailable()) throw new Error(messages.scalingNeedsNative('the addon is not built'));
  const before = native.nativeInfo();
  const rows: ScalingRow[] = [];
  let backend = '';
  try {
    for (const workload of workloads) for (const simdAsked of simds) for (const t of threads) {
      native.setNativeThreads(t);
      const simd = native.setNativeSimd(simdAsked);
      const r = await runTrainingBench({ workload, backend: 'deepspike-native', ...(opts.steps !== undefined ? { steps: opts.steps } : {}), ...(opts.warmup !== undefined ? { warmup: opts.warmup } : {}) });
      backend = r.backend;
      log(`  ${workload} ${simd} x${t}: ${r.medianMs} ms/step, ${r.samplesPerSec} samples/s`);
      rows.push({ workload, threads: t, simdAsked, simd, medianMs: r.medianMs, samplesPerSec: r.samplesPerSec, speedupVs1Thread: null, timeVsAuto: null });
    }
  } finally {
    native.setNativeThreads(before.threads);
    native.setNativeSimd('auto');
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const withRatios = rows.map((r) => {
    const one = rows.find((o) => o.workload === r.workload && o.simdAsked === r.simdAsked && o.threads === 1);
    const auto = rows.find((o) => o.workload === r.workload && o.simdAsked === 'auto' && o.threads === r.threads);
    return { ...r, speedupVs1Thread: one ? round(r.samplesPerSec / one.samplesPerSec) : null, timeVsAuto: auto ? round(r.medianMs / auto.medianMs) : null };
  });
  return { backend, rows: withRatios };
}

/** The scaling benchmark as a Markdown table. */
export function scalingTable(r: ScalingBenchResult): string {
  const opt = (v: number | null, unit: string) => (v === null ? '-' : `${v.toFixed(2)}${unit}`);
  return [
    `training step per configuration, ${r.backend}`,
    '',
    '| workload | simd | threads | ms/step | samples/s | vs 1 thread | time vs auto |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...r.rows.map((x) => `| ${x.workload} | ${x.simd}${x.simdAsked !== x.simd && x.simdAsked !== 'auto' ? ` (asked ${x.simdAsked})` : ''} | ${x.threads} | ${x.medianMs.toFixed(1)} | ${x.samplesPerSec.toFixed(1)} | ${opt(x.speedupVs1Thread, 'x')} | ${opt(x.timeVsAuto, 'x')} |`),
  ].join('\n');
}
