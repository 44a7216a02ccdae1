import type { NativeAddon } from '../addon.js';
import { spikeDensityThreshold, type SpikePathKind } from '../config.js';

/** Every this-many elements are sampled before a full density scan. */
const SAMPLE_STRIDE = 61;

/**
 * Whether a tensor may take the spike path: a strided sample (1 element in 61) must be all 0/1 and
 * its density under the threshold; only then is every element checked (the spike path needs every
 * value binary: the matmul scans first, the conv kernels check as they run). Real-valued inputs and spikes at or above the threshold are rejected
 * here for a fraction of a millisecond instead of a full scan of tens of MB. The sample (>= 100 000
 * elements for a 6M-element activation) estimates the density to about +-0.001; near the threshold
 * both paths cost about the same, so a wrong call there costs little.
 */
export function mayBeSparseSpikes(values: Float32Array, threshold: number): boolean {
  const density = sampledSpikeDensity(values);
  return density !== null && density < threshold;
}

/**
 * Whether `values` may take the matmul's spike-accumulate path: binary with a density under its
 * threshold ({@link spikeDensityThreshold}, 0 disables). The 1-in-61 sample rejects most inputs first;
 * the full scan then checks every value.
 */
export function sparseSpikes(addon: NativeAddon, values: Float32Array): boolean {
  const thr = spikeDensityThreshold('matmul');
  if (thr <= 0 || !mayBeSparseSpikes(values, thr)) return false;
  const [density, binary] = addon.density(values.length, values);
  return binary && density < thr;
}

/**
 * Whether a conv should try its spike path on `values`: the 1-in-61 sample is binary with a density
 * under `kind`'s threshold (`presample` false: whenever the threshold is positive). No full scan: the
 * native spike kernels check every value as they go and report a non-binary input, and the caller
 * then runs the dense kernel.
 */
export function trySpikePath(values: Float32Array, kind: Exclude<SpikePathKind, 'matmul'>, presample = true): boolean {
  const thr = spikeDensityThreshold(kind);
  return thr > 0 && (!presample || mayBeSparseSpikes(values, thr));
}

/** How often each conv spike path ran, and fell back to the dense kernel on a non-binary input. */
export const spikePathCounts = { conv: 0, convFilter: 0, fallbacks: 0 };

/** How one conv call ran, as {@link traceConvPaths} records it. */
export interface ConvPathRecord {
  /**
   * `conv`: Conv2D forward; `convFilter`: its filter gradient (both take the spike input x);
   * `convInput`: its input gradient (x is dY there).
   */
  readonly kind: 'conv' | 'convFilter' | 'convInput';
  /** `spikes`: the spike kernel; `winograd`: Winograd F(2x2, 3x3); `dense`: the GEMM paths. */
  readonly path: 'spikes' | 'dense' | 'winograd';
  /** Elements of x. */
  readonly elements: number;
  /** Fraction of nonzeros in a 1-in-61 sample of x, or null when the sample holds a value other than 0 and 1. */
  readonly density: number | null;
}

let convTrace: ConvPathRecord[] | null = null;

/**
 * Profiling: every following conv forward / filter-gradient / input-gradient call appends how it ran (path and the
 * input's sampled density) to `into`, until called with null. Costs one 1-in-61 scan per call.
 */
export function traceConvPaths(into: ConvPathRecord[] | null): void {
  convTrace = into;
}

/** The sampled density of `values` (1 element in 61), null when a sampled value is not 0 or 1. */
export function sampledSpikeDensity(values: Float32Array): number | null {
  let nz = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i += SAMPLE_STRIDE) {
    const v = values[i] as number;
    if (v !== 0) {
      if (v !== 1) return null;
      nz++;
    }
    seen++;
  }
  return seen === 0 ? 0 : nz / seen;
}

/** Records a conv call when {@link traceConvPaths} is on. */
export function recordConvPath(kind: ConvPathRecord['kind'], x: Float32Array, path: ConvPathRecord['path']): void {
  convTrace?.push({ kind, path, elements: x.length, density: sampledSpikeDensity(x) });
}
