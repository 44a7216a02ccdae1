/**
 * Run-time settings of the native backend read from the environment.
 *
 * Spike paths: an input that is binary (0/1 spikes) with fewer active entries than a kernel's
 * threshold accumulates weight rows (or, for the filter gradient, dY rows) for the active entries
 * instead of running the dense GEMM. The default thresholds are the measured break-evens against the
 * dense AVX-512 kernels on AMD Zen 5 (3x3 64->64 conv on `[128, 32, 32, 64]`, 2 threads), rounded
 * down: the conv forward breaks even at ~0.5 density against the GEMM and at ~0.2 against Winograd
 * F(2x2, 3x3) (`convWinograd`: the 3x3 stride-1 convs that would take it; 0.2 on both the cifar and
 * the mnist shape), the matmul at ~0.05. The filter gradient of a stride-1 conv (the column-list
 * kernel) breaks even at ~0.7 against the GEMM with AVX-512 and ~0.6 with AVX2 (`convFilter`), and at
 * ~0.33 (cifar shape) to ~0.38 (mnist shape) against the Winograd filter gradient of the 3x3 convs that
 * take it (`convFilterWinograd`); a strided one (`convFilterStrided`, the per-pixel kernel) at ~0.4
 * against the GEMM (AMD EPYC, 2 threads). `DEEPSPIKE_SPIKE_DENSITY` sets one threshold for all of them;
 * 0 turns the spike paths off.
 */
export type SpikePathKind = 'conv' | 'convWinograd' | 'convFilter' | 'convFilterWinograd' | 'convFilterStrided' | 'matmul';

/** The default density thresholds (see the module doc). */
export const DEFAULT_SPIKE_DENSITY: Readonly<Record<SpikePathKind, number>> = {
  conv: 0.4, convWinograd: 0.2, convFilter: 0.5, convFilterWinograd: 0.3, convFilterStrided: 0.3, matmul: 0.05,
};

let override: number | null | undefined;

/** The density under which `kind`'s spike path is used (see module doc). */
export function spikeDensityThreshold(kind: SpikePathKind = 'conv'): number {
  if (override === undefined) {
    const raw = process.env.DEEPSPIKE_SPIKE_DENSITY;
    const v = raw === undefined || raw === '' ? NaN : Number(raw);
    override = Number.isFinite(v) && v >= 0 ? v : null;
  }
  return override ?? DEFAULT_SPIKE_DENSITY[kind];
}

/**
 * Overrides every spike-path threshold (tests, benchmarks): 1 forces the path for binary inputs, 0
 * disables it; `undefined` re-reads the environment (and the defaults).
 */
export function setSpikeDensityThreshold(v: number | undefined): void {
  override = v;
}
