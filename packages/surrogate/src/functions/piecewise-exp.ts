import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `PiecewiseExp`: `g'(x) = alpha/2 * exp(-alpha*|x|)`;
 * `g(x) = exp(alpha*x)/2 (x < 0); 1 - exp(-alpha*x)/2 (x >= 0)`.
 */
export const piecewiseExpFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'piecewise-exp',
  description: 'Laplace-shaped: alpha/2 * exp(-alpha*|x|).',
  params: { alpha: { default: 1, min: 0, exclusive: true, description: 'Decay rate.' } },
  build: ({ alpha }) => ({
    derivative: (x) => (alpha / 2) * Math.exp(-alpha * Math.abs(x)),
    derivativeOps: (x) => tf.tidy(() => tf.mul(tf.exp(tf.mul(tf.abs(x), -alpha)), alpha / 2)),
    primitive: (x) => (x < 0 ? Math.exp(alpha * x) / 2 : 1 - Math.exp(-alpha * x) / 2),
  }),
};

/** Piecewise-exponential surrogate. @param params.alpha decay rate (default 1, > 0) */
export function piecewiseExp(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(piecewiseExpFamily, params);
}
