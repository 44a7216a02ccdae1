import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/** SpikingJelly `LeakyKReLU`: `g'(x) = k if x >= 0 else leak`; `g(x) = k*x (x >= 0); leak*x (x < 0)`. */
export const leakyKReLUFamily: SurrogateFamily<{ leak: number; k: number }> = {
  name: 'leaky-k-relu',
  description: 'Leaky ReLU with slope k for x >= 0 and leak below.',
  params: {
    leak: { default: 0, min: 0, description: 'Slope for x < 0.' },
    k: { default: 1, min: 0, exclusive: true, description: 'Slope for x >= 0.' },
  },
  build: ({ leak, k }) => ({
    derivative: (x) => (x >= 0 ? k : leak),
    derivativeOps: (x) => tf.tidy(() => tf.where(tf.greaterEqual(x, 0), tf.fill(x.shape, k), tf.fill(x.shape, leak))),
    primitive: (x) => (x >= 0 ? k * x : leak * x),
  }),
};

/** Leaky-k-ReLU surrogate. @param params.leak (default 0, >= 0) @param params.k (default 1, > 0) */
export function leakyKReLU(params: { leak?: number; k?: number } = {}): Surrogate {
  return createSurrogate(leakyKReLUFamily, params);
}
