import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Options of {@link checkGrad}. */
export interface CheckGradOptions {
  /** Central-difference step (float32 tensors need a large one; default 1e-2). */
  readonly eps?: number;
  /** Absolute tolerance (default 1e-2). */
  readonly atol?: number;
  /** Relative tolerance (default 1e-2). */
  readonly rtol?: number;
  /** Check at most this many elements per input, spread evenly (default all). */
  readonly maxElements?: number;
}

/** One checked element. */
export interface GradMismatch {
  readonly input: number;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

/** What {@link checkGrad} found. */
export interface CheckGradResult {
  readonly checked: number;
  readonly mismatches: GradMismatch[];
  readonly maxAbsDiff: number;
}

/**
 * Numerical gradient check: compares tf.grads of the scalar `f(...inputs)` with central differences
 * `(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)` for each (sampled) element of each input.
 * The loss is evaluated in float32, so keep inputs away from kinks and thresholds.
 * @param f scalar-valued function of the inputs
 * @param inputs the point at which to check (not modified)
 * @throws Error listing the first mismatches when any element is out of tolerance
 */
export function checkGrad(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: CheckGradOptions = {}): CheckGradResult {
  const eps = options.eps ?? 1e-2;
  const atol = options.atol ?? 1e-2;
  const rtol = options.rtol ?? 1e-2;
  const analytic = tf.tidy(() => tf.grads((...xs: Tensor[]) => f(...xs) as tf.Scalar)(inputs).map((g) => g.dataSync().slice()));
  const base = inputs.map((x) => x.dataSync().slice() as Float32Array);
  const evalAt = (which: number, values: Float32Array): number =>
    tf.tidy(() => {
      const xs = inputs.map((x, k) => (k === which ? tf.tensor(values, x.shape, 'float32') : x));
      return (f(...xs).dataSync()[0] as number);
    });
  const mismatches: GradMismatch[] = [];
  let checked = 0;
  let maxAbsDiff = 0;
  for (let k = 0; k < inputs.length; k++) {
    const x = base[k] as Float32Array;
    const n = x.length;
    const count = Math.min(n, options.maxElements ?? n);
    for (let j = 0; j < count; j++) {
      const i = count === n ? j : Math.floor((j * n) / count);
      const v = x.slice();
      v[i] = (x[i] as number) + eps;
      const plus = evalAt(k, v);
      v[i] = (x[i] as number) - eps;
      const minus = evalAt(k, v);
      const numeric = (plus - minus) / (2 * eps);
      const a = (analytic[k] as Float32Array | Int32Array | Uint8Array)[i] as number;
      const d = Math.abs(a - numeric);
      maxAbsDiff = Math.max(maxAbsDiff, d);
      checked++;
      if (!(d <= atol + rtol * Math.abs(numeric))) mismatches.push({ input: k, index: i, analytic: a, numeric });
    }
  }
  if (mismatches.length > 0) {
    const first = mismatches
      .slice(0, 5)
      .map((m) => `input ${m.input}[${m.index}]: analytic ${m.analytic} vs numeric ${m.numeric}`)
      .join('; ');
    throw new Error(`checkGrad: ${mismatches.length} of ${checked} gradient elements differ beyond atol ${atol}, rtol ${rtol}: ${first}`);
  }
  return { checked, mismatches, maxAbsDiff };
}

/**
 * Checks a scalar derivative against central differences of its primitive, in doubles.
 * @returns the largest absolute difference over `points`
 * @throws Error naming the first point out of tolerance
 */
export function checkDerivative(
  primitive: (x: number) => number,
  derivative: (x: number) => number,
  points: readonly number[],
  options: { h?: number; atol?: number; rtol?: number } = {},
): number {
  const h = options.h ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  let worst = 0;
  for (const x of points) {
    const numeric = (primitive(x + h) - primitive(x - h)) / (2 * h);
    const a = derivative(x);
    const d = Math.abs(a - numeric);
    worst = Math.max(worst, d);
    if (!(d <= atol + rtol * Math.abs(numeric))) {
      throw new Error(`checkDerivative: at x=${x} derivative ${a} vs central difference ${numeric} (diff ${d})`);
    }
  }
  return worst;
}
