import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));

/** SpikingJelly `Sigmoid`: `g(x) = sigmoid(alpha*x)`, `g'(x) = alpha*s*(1-s)`, `s = sigmoid(alpha*x)`. */
export const sigmoidFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'sigmoid',
  description: 'Logistic sigmoid of alpha*x and its derivative.',
  params: { alpha: { default: 4, min: 0, exclusive: true, description: 'Steepness.' } },
  build: ({ alpha }) => ({
    derivative: (x) => {
      const s = sig(alpha * x);
      return alpha * s * (1 - s);
    },
    primitive: (x) => sig(alpha * x),
    derivativeOps: (x) =>
      tf.tidy(() => {
        const s = tf.sigmoid(tf.mul(x, alpha));
        return tf.mul(tf.mul(s, tf.sub(1, s)), alpha);
      }),
  }),
};

/** Sigmoid surrogate. @param params.alpha steepness (default 4, > 0) */
export function sigmoid(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(sigmoidFamily, params);
}
