import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `PiecewiseLeakyReLU`: `g'(x) = 1/(2w)` for `|x| < w` (strict), else `c`;
 * `g(x) = c*x + c*w (x < -w); c*x - c*w + 1 (x > w); x/(2w) + 1/2 otherwise`.
 */
export const piecewiseLeakyReLUFamily: SurrogateFamily<{ w: number; c: number }> = {
  name: 'piecewise-leaky-relu',
  description: 'Rectangle of width 2w and height 1/(2w) with a leaky slope c outside.',
  params: {
    w: { default: 1, min: 0, exclusive: true, description: 'Half-width of the window.' },
    c: { default: 0.01, min: 0, description: 'Slope outside the window.' },
  },
  build: ({ w, c }) => ({
    derivative: (x) => (Math.abs(x) < w ? 1 / (2 * w) : c),
    derivativeOps: (x) => tf.tidy(() => tf.where(tf.less(tf.abs(x), w), tf.fill(x.shape, 1 / (2 * w)), tf.fill(x.shape, c))),
    primitive: (x) => {
      if (x < -w) return c * x + c * w;
      if (x > w) return c * x - c * w + 1;
      return x / (2 * w) + 0.5;
    },
  }),
};

/** Piecewise leaky-ReLU surrogate. @param params.w half-width (default 1, > 0) @param params.c outer slope (default 0.01, >= 0) */
export function piecewiseLeakyReLU(params: { w?: number; c?: number } = {}): Surrogate {
  return createSurrogate(piecewiseLeakyReLUFamily, params);
}
