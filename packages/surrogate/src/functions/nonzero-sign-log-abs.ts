import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `NonzeroSignLogAbs`: `g'(x) = 1 / (1/alpha + |x|)`;
 * `g(x) = s*log(alpha*s*x + 1)` with `s = +1 if x >= 0 else -1` (unbounded).
 */
export const nonzeroSignLogAbsFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'nonzero-sign-log-abs',
  description: 'Non-zero sign times log|x|: 1 / (1/alpha + |x|).',
  params: { alpha: { default: 1, min: 0, exclusive: true, description: 'Height at 0.' } },
  build: ({ alpha }) => ({
    derivative: (x) => 1 / (1 / alpha + Math.abs(x)),
    derivativeOps: (x) => tf.tidy(() => tf.reciprocal(tf.add(tf.abs(x), 1 / alpha))),
    primitive: (x) => {
      const s = x >= 0 ? 1 : -1;
      return s * Math.log(alpha * s * x + 1);
    },
  }),
};

/** Nonzero-sign-log-abs surrogate. @param params.alpha height at 0 (default 1, > 0) */
export function nonzeroSignLogAbs(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(nonzeroSignLogAbsFamily, params);
}
