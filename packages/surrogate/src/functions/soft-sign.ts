import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `SoftSign`: `g'(x) = 1 / (2*alpha*(1/alpha + |x|)^2)`;
 * `g(x) = (softsign(alpha*x) + 1)/2 = 1/2 + alpha*x / (2*(1 + |alpha*x|))`.
 */
export const softSignFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'soft-sign',
  description: 'Soft sign: 1 / (2*alpha*(1/alpha + |x|)^2).',
  params: { alpha: { default: 2, min: 0, exclusive: true, description: 'Steepness.' } },
  build: ({ alpha }) => ({
    derivative: (x) => 1 / (2 * alpha * (1 / alpha + Math.abs(x)) ** 2),
    derivativeOps: (x) => tf.tidy(() => tf.div(1 / (2 * alpha), tf.square(tf.add(tf.abs(x), 1 / alpha)))),
    primitive: (x) => 0.5 + (alpha * x) / (2 * (1 + Math.abs(alpha * x))),
  }),
};

/** Soft-sign surrogate. @param params.alpha steepness (default 2, > 0) */
export function softSign(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(softSignFamily, params);
}
