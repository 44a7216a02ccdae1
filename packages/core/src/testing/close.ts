/** Tolerances of {@link expectClose}: pass when `|a - e| <= atol + rtol * |e|` elementwise. */
export interface Tolerance {
  readonly atol?: number;
  readonly rtol?: number;
}

/**
 * Throws (listing the worst mismatches) unless `actual` and `expected` have the same length and every
 * element is within `atol + rtol*|expected|`. NaN never matches. Defaults: atol 1e-6, rtol 1e-5 (the
 * golden README's forward tolerances).
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}, label = 'values'): void {
  const atol = tol.atol ?? 1e-6;
  const rtol = tol.rtol ?? 1e-5;
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length}, expected ${expected.length}`);
  }
  const bad: Array<{ i: number; a: number; e: number; d: number }> = [];
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const d = Math.abs(a - e);
    if (!(d <= atol + rtol * Math.abs(e))) bad.push({ i, a, e, d: Number.isNaN(d) ? Infinity : d });
  }
  if (bad.length > 0) {
    bad.sort((x, y) => y.d - x.d);
    const worst = bad
      .slice(0, 5)
      .map((b) => `[${b.i}] ${b.a} vs ${b.e} (diff ${b.d.toExponential(2)})`)
      .join('; ');
    throw new Error(`${label}: ${bad.length} of ${actual.length} elements differ beyond atol ${atol}, rtol ${rtol}; worst: ${worst}`);
  }
}

/** Throws unless the two arrays are exactly equal (e.g. spike trains). */
export function expectEqualArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, label = 'values'): void {
  expectClose(actual, expected, { atol: 0, rtol: 0 }, label);
}
