/**
 * Run-time settings of the native backend read from the environment.
 * `DEEPSPIKE_SPIKE_DENSITY` (default 0.05: the measured break-even of the 3x3 64->64 conv against
 * the multi-tap dense kernel on AMD Zen 5, `[128, 32, 32, 64]` inputs, is ~0.055): a conv input or matmul left operand that is binary (0/1 spikes) with fewer
 * active entries than this fraction accumulates weight rows for the active inputs instead of a dense
 * GEMM; 0 turns the spike path off.
 */
let threshold: number | undefined;

/** The density under which the spike-accumulate path is used (see module doc). */
export function spikeDensityThreshold(): number {
  if (threshold === undefined) {
    const v = Number(process.env.DEEPSPIKE_SPIKE_DENSITY ?? '0.05');
    threshold = Number.isFinite(v) && v >= 0 ? v : 0.05;
  }
  return threshold;
}

/** Overrides the spike-path density threshold (tests, benchmarks); `undefined` re-reads the environment. */
export function setSpikeDensityThreshold(v: number | undefined): void {
  threshold = v;
}
