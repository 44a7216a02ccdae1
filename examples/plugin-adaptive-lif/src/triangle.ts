import { check, type Surrogate, type SurrogateEntry } from '@deepspike/core';
import { alifMessages } from './messages.js';

/**
 * The triangle surrogate (the pseudo-derivative of Bellec et al. 2018's ALIF, normalised to unit
 * area): `g'(x) = max(0, 1 - |x|/alpha) / alpha`, whose primitive is the piecewise quadratic
 * `g(x) = 0` for `x < -alpha`, `(x + alpha)^2 / (2 alpha^2)` on `[-alpha, 0)`,
 * `1 - (alpha - x)^2 / (2 alpha^2)` on `[0, alpha)`, `1` beyond.
 * @param params `{alpha}`: half-width of the triangle (default 1, > 0)
 * @throws InvalidArgumentError when alpha is not a positive finite number
 */
export function triangle(params: Readonly<Record<string, number>> = {}): Surrogate {
  const alpha = params.alpha ?? 1;
  check(typeof alpha === 'number' && Number.isFinite(alpha) && alpha > 0, () => alifMessages.surrogateParam('alpha', alpha));
  return {
    name: 'triangle',
    params: { alpha },
    derivative: (x) => Math.max(0, 1 - Math.abs(x) / alpha) / alpha,
    primitive: (x) => {
      if (x < -alpha) return 0;
      if (x < 0) return ((x + alpha) * (x + alpha)) / (2 * alpha * alpha);
      if (x < alpha) return 1 - ((alpha - x) * (alpha - x)) / (2 * alpha * alpha);
      return 1;
    },
  };
}

/** Registry entry of {@link triangle} (kind `surrogate`, name `triangle`). */
export const triangleEntry: SurrogateEntry = {
  description: "Triangle pseudo-derivative max(0, 1 - |x|/alpha)/alpha (Bellec et al. 2018), unit area.",
  create: (params) => triangle(params),
};
