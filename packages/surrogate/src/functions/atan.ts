import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/** SpikingJelly `ATan`: `g(x) = atan(pi/2*alpha*x)/pi + 1/2`, `g'(x) = (alpha/2) / (1 + (pi/2*alpha*x)^2)`. */
export const atanFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'atan',
  description: 'Arc tangent: (alpha/2) / (1 + (pi/2*alpha*x)^2).',
  params: { alpha: { default: 2, min: 0, exclusive: true, description: 'Steepness.' } },
  build: ({ alpha }) => ({
    derivative: (x) => alpha / 2 / (1 + ((Math.PI / 2) * alpha * x) ** 2),
    derivativeOps: (x) => tf.tidy(() => tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(x, (Math.PI / 2) * alpha))))),
    primitive: (x) => Math.atan((Math.PI / 2) * alpha * x) / Math.PI + 0.5,
  }),
};

/** Arc-tangent surrogate. @param params.alpha steepness (default 2, > 0) */
export function atan(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(atanFamily, params);
}
