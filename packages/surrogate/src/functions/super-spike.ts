import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/** SpikingJelly `SuperSpike` (Zenke & Ganguli 2018): `g'(x) = alpha / (|x| + 1)^2`; no primitive. */
export const superSpikeFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'super-spike',
  description: 'SuperSpike: alpha / (|x| + 1)^2 (no primitive).',
  params: { alpha: { default: 1, min: 0, exclusive: true, description: 'Scale.' } },
  build: ({ alpha }) => ({
    derivative: (x) => alpha / (Math.abs(x) + 1) ** 2,
    derivativeOps: (x) => tf.tidy(() => tf.div(alpha, tf.square(tf.add(tf.abs(x), 1)))),
  }),
};

/** SuperSpike surrogate. @param params.alpha scale (default 1, > 0) */
export function superSpike(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(superSpikeFamily, params);
}
