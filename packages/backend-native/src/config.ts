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

/** Every this-many elements are sampled before a full density scan. */
const SAMPLE_STRIDE = 61;

/**
 * Whether a tensor may take the spike path: a strided sample (1 element in 61) must be all 0/1 and
 * its density under the threshold; only then does the caller scan every element (the spike path
 * needs every value binary). Real-valued inputs and spikes at or above the threshold are rejected
 * here for a fraction of a millisecond instead of a full scan of tens of MB. The sample (>= 100 000
 * elements for a 6M-element activation) estimates the density to about +-0.001; near the threshold
 * both paths cost about the same, so a wrong call there costs little.
 */
export function mayBeSparseSpikes(values: Float32Array, threshold: number): boolean {
  let nz = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i += SAMPLE_STRIDE) {
    const v = values[i] as number;
    if (v !== 0) {
      if (v !== 1) return false;
      nz++;
    }
    seen++;
  }
  return seen === 0 || nz / seen < threshold;
}
