import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `PiecewiseQuadratic`: `g'(x) = alpha - alpha^2*|x|` for `|x| <= 1/alpha`, else 0 (mask
 * `|x| > 1/alpha`); `g(x) = 0 (x < -1/alpha); 1 (x > 1/alpha); -alpha^2/2*x*|x| + alpha*x + 1/2`.
 */
export const piecewiseQuadraticFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'piecewise-quadratic',
  description: 'Triangle of height alpha and half-width 1/alpha (piecewise-quadratic primitive).',
  params: { alpha: { default: 1, min: 0, exclusive: true, description: 'Height; the support is |x| <= 1/alpha.' } },
  build: ({ alpha }) => ({
    derivative: (x) => (Math.abs(x) > 1 / alpha ? 0 : alpha - alpha * alpha * Math.abs(x)),
    derivativeOps: (x) => tf.tidy(() => tf.mul(tf.cast(tf.lessEqual(tf.abs(x), 1 / alpha), 'float32'), tf.sub(alpha, tf.mul(tf.abs(x), alpha * alpha)))),
    primitive: (x) => {
      if (x < -1 / alpha) return 0;
      if (x > 1 / alpha) return 1;
      return (-alpha * alpha) / 2 * x * Math.abs(x) + alpha * x + 0.5;
    },
  }),
};

/** Piecewise-quadratic surrogate. @param params.alpha height (default 1, > 0) */
export function piecewiseQuadratic(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(piecewiseQuadraticFamily, params);
}
