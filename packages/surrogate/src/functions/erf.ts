import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * erf(z) in double precision: the positive-term series
 * `erf(z) = 2/sqrt(pi) * exp(-z^2) * sum_n (2^n z^(2n+1)) / (1*3*...*(2n+1))` (no cancellation), and
 * `|erf(z)| = 1` beyond |z| = 6 where 1 - erf < 2e-17.
 */
export function erfDouble(z: number): number {
  if (z === 0) return 0;
  if (Math.abs(z) >= 6) return Math.sign(z);
  let term = z;
  let sum = z;
  for (let n = 1; n < 500; n++) {
    term *= (2 * z * z) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
}

/** SpikingJelly `Erf`: `g'(x) = alpha/sqrt(pi) * exp(-alpha^2 x^2)`, `g(x) = erfc(-alpha*x)/2`. */
export const erfFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'erf',
  description: 'Gaussian error function: alpha/sqrt(pi) * exp(-alpha^2 x^2).',
  params: { alpha: { default: 2, min: 0, exclusive: true, description: 'Inverse width.' } },
  build: ({ alpha }) => ({
    derivative: (x) => (alpha / Math.sqrt(Math.PI)) * Math.exp(-(alpha * alpha) * x * x),
    derivativeOps: (x) => tf.tidy(() => tf.mul(tf.exp(tf.mul(tf.square(x), -(alpha * alpha))), alpha / Math.sqrt(Math.PI))),
    primitive: (x) => (1 + erfDouble(alpha * x)) / 2,
  }),
};

/** Erf surrogate. @param params.alpha inverse width (default 2, > 0) */
export function erf(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(erfFamily, params);
}
