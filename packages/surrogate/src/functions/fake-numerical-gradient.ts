import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `FakeNumericalGradient`: `g'(x) = min(sign0(x)/x, alpha) = min(1/|x|, alpha)`, `alpha`
 * at 0 (sign0(0) = +1, so 1/0 = +inf is clamped); no primitive.
 */
export const fakeNumericalGradientFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'fake-numerical-gradient',
  description: 'Fake numerical gradient: min(1/|x|, alpha) (no primitive).',
  params: { alpha: { default: 0.3, min: 0, exclusive: true, description: 'Upper clamp.' } },
  build: ({ alpha }) => ({ derivative: (x) => (x === 0 ? alpha : Math.min(1 / Math.abs(x), alpha)) }),
};

/** Fake-numerical-gradient surrogate. @param params.alpha upper clamp (default 0.3, > 0) */
export function fakeNumericalGradient(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(fakeNumericalGradientFamily, params);
}
