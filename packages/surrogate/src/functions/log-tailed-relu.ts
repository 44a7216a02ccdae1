import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `LogTailedReLU`: `g'(x) = alpha (x <= 0); 1 (0 < x <= 1); 1/x (x > 1)`;
 * `g(x) = log(x) + 1 (x > 1); leaky_relu(x, alpha) otherwise`. alpha = 0 (the default) is allowed.
 */
export const logTailedReLUFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'log-tailed-relu',
  description: 'Log-tailed ReLU: alpha below 0, 1 on (0, 1], 1/x above 1.',
  params: { alpha: { default: 0, min: 0, description: 'Slope for x <= 0 (0 allowed).' } },
  build: ({ alpha }) => ({
    derivative: (x) => (x <= 0 ? alpha : x > 1 ? 1 / x : 1),
    derivativeOps: (x) => tf.tidy(() => tf.where(tf.lessEqual(x, 0), tf.fill(x.shape, alpha), tf.where(tf.greater(x, 1), tf.reciprocal(x), tf.onesLike(x)))),
    primitive: (x) => (x > 1 ? Math.log(x) + 1 : x >= 0 ? x : alpha * x),
  }),
};

/** Log-tailed-ReLU surrogate. @param params.alpha negative slope (default 0, >= 0) */
export function logTailedReLU(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(logTailedReLUFamily, params);
}
