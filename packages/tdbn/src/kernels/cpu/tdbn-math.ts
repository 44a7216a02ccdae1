/**
 * Typed-array tdBN forward/backward on an `[M, C]` row-major block (C fastest). Shared by the cpu
 * kernels and usable by any JS backend; accumulations are in float64, results rounded to float32.
 */

/** Forward result of {@link tdbnForwardArrays}. */
export interface TdbnForwardArrays {
  /** [M*C] normalised output. */
  readonly y: Float32Array;
  /** [C] batch mean. */
  readonly mean: Float32Array;
  /** [C] `1/sqrt(biased var + eps)`. */
  readonly invStd: Float32Array;
}

/** Per-channel batch statistics of an `[M, C]` block ({@link tdbnStatsArrays}). */
export interface TdbnStatsArrays {
  /** [C] batch mean, float32. */
  readonly mean: Float32Array;
  /** [C] `1/sqrt(biased var + eps)`, float32. */
  readonly invStd: Float32Array;
  /** [C] the mean in float64. */
  readonly meanD: Float64Array;
  /** [C] `1/sqrt(biased var + eps)` in float64. */
  readonly invStdD: Float64Array;
}

/**
 * Mean and biased variance per channel in one sweep over the rows, from sums of the shifted values
 * `x - x[0, c]` so a large mean does not cancel; accumulated in float64.
 * @param x [M*C] row-major
 */
export function tdbnStatsArrays(x: ArrayLike<number>, m: number, c: number, epsilon: number): TdbnStatsArrays {
  const shift = new Float64Array(c);
  const s = new Float64Array(c);
  const ss = new Float64Array(c);
  if (m > 0) for (let j = 0; j < c; j++) shift[j] = x[j] as number;
  for (let i = 0, base = 0; i < m; i++, base += c) {
    for (let j = 0; j < c; j++) {
      const d = (x[base + j] as number) - (shift[j] as number);
      s[j] = (s[j] as number) + d;
      ss[j] = (ss[j] as number) + d * d;
    }
  }
  const mean = new Float32Array(c);
  const invStd = new Float32Array(c);
  const meanD = new Float64Array(c);
  const invStdD = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const ms = m > 0 ? (s[j] as number) / m : 0;
    const variance = m > 0 ? Math.max(0, (ss[j] as number) / m - ms * ms) : 0;
    invStdD[j] = 1 / Math.sqrt(variance + epsilon);
    meanD[j] = (shift[j] as number) + ms;
    mean[j] = meanD[j] as number;
    invStd[j] = invStdD[j] as number;
  }
  return { mean, invStd, meanD, invStdD };
}

/**
 * `y = lambda*(alpha*vth*(x - mean)/sqrt(var + eps)) + beta` per channel (biased var).
 * Statistics in one sweep over the rows ({@link tdbnStatsArrays}), normalisation in a second.
 * @param x [M*C] row-major
 */
export function tdbnForwardArrays(
  x: ArrayLike<number>,
  m: number,
  c: number,
  lambda: ArrayLike<number>,
  beta: ArrayLike<number>,
  alpha: number,
  vth: number,
  epsilon: number,
): TdbnForwardArrays {
  const { mean, invStd, meanD, invStdD } = tdbnStatsArrays(x, m, c, epsilon);
  const scale = new Float64Array(c);
  for (let j = 0; j < c; j++) scale[j] = (lambda[j] as number) * alpha * vth * (invStdD[j] as number);
  const y = new Float32Array(m * c);
  for (let i = 0, base = 0; i < m; i++, base += c) {
    for (let j = 0; j < c; j++) {
      y[base + j] = ((x[base + j] as number) - (meanD[j] as number)) * (scale[j] as number) + (beta[j] as number);
    }
  }
  return { y, mean, invStd };
}

/** Backward result of {@link tdbnBackwardArrays}. */
export interface TdbnBackwardArrays {
  /** [M*C] */
  readonly dx: Float32Array;
  /** [C] */
  readonly dLambda: Float32Array;
  /** [C] */
  readonly dBeta: Float32Array;
}

/**
 * Gradient of training-mode tdBN (through the batch statistics). With `xh = (x - mean)*invStd`,
 * `k = lambda*alpha*vth`: `dBeta = sum dy`, `dLambda = alpha*vth*sum(dy*xh)`,
 * `dx = k*invStd*(dy - sum(dy)/M - xh*sum(dy*xh)/M)`. One sweep for the sums, one for dx.
 * @param dy [M*C] row-major
 */
export function tdbnBackwardArrays(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  m: number,
  c: number,
  mean: ArrayLike<number>,
  invStd: ArrayLike<number>,
  lambda: ArrayLike<number>,
  alpha: number,
  vth: number,
): TdbnBackwardArrays {
  const sdy = new Float64Array(c);
  const sdyx = new Float64Array(c);
  for (let i = 0, base = 0; i < m; i++, base += c) {
    for (let j = 0; j < c; j++) {
      const g = dy[base + j] as number;
      sdy[j] = (sdy[j] as number) + g;
      sdyx[j] = (sdyx[j] as number) + g * ((x[base + j] as number) - (mean[j] as number));
    }
  }
  const dLambda = new Float32Array(c);
  const dBeta = new Float32Array(c);
  const k = new Float64Array(c);
  const a = new Float64Array(c); // sum(dy)/M
  const b = new Float64Array(c); // invStd^2 * sum(dy*(x-mean))/M, the xc coefficient
  for (let j = 0; j < c; j++) {
    const inv = invStd[j] as number;
    const sumDyXh = (sdyx[j] as number) * inv;
    dBeta[j] = sdy[j] as number;
    dLambda[j] = alpha * vth * sumDyXh;
    k[j] = (lambda[j] as number) * alpha * vth * inv;
    a[j] = m > 0 ? (sdy[j] as number) / m : 0;
    b[j] = m > 0 ? (inv * sumDyXh) / m : 0;
  }
  const dx = new Float32Array(m * c);
  for (let i = 0, base = 0; i < m; i++, base += c) {
    for (let j = 0; j < c; j++) {
      const xc = (x[base + j] as number) - (mean[j] as number);
      dx[base + j] = (k[j] as number) * ((dy[base + j] as number) - (a[j] as number) - xc * (b[j] as number));
    }
  }
  return { dx, dLambda, dBeta };
}
