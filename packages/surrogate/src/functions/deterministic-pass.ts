import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/** SpikingJelly `DeterministicPass` (straight-through): `g'(x) = 1`, `g(x) = x`. */
export const deterministicPassFamily: SurrogateFamily<Record<string, never>> = {
  name: 'deterministic-pass',
  description: 'Straight-through estimator: the gradient passes unchanged.',
  params: {},
  build: () => ({ derivative: () => 1, primitive: (x) => x, derivativeOps: (x) => tf.onesLike(x) }),
};

/** Straight-through surrogate (no parameters). */
export function deterministicPass(): Surrogate {
  return createSurrogate(deterministicPassFamily, {});
}
