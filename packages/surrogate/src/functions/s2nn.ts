import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * SpikingJelly `S2NN`: `g'(x) = alpha*s*(1-s)` (s = sigmoid(alpha*x)) for `x < 0`, `beta/(x+1)` for `x >= 0`;
 * `g(x) = sigmoid(alpha*x) (x < 0); beta*log(|x+1| + 1e-5) + 1/2 (x >= 0)` (the 1e-5 makes g' differ
 * from the derivative of g by ~1e-5, as in SpikingJelly).
 */
export const s2nnFamily: SurrogateFamily<{ alpha: number; beta: number }> = {
  name: 's2nn',
  description: 'S2NN: sigmoid derivative for x < 0, beta/(x+1) for x >= 0.',
  params: {
    alpha: { default: 4, min: 0, exclusive: true, description: 'Sigmoid steepness on the negative side.' },
    beta: { default: 1, min: 0, exclusive: true, description: 'Scale of the positive side.' },
  },
  build: ({ alpha, beta }) => ({
    derivative: (x) => {
      if (x < 0) {
        const s = sig(alpha * x);
        return alpha * s * (1 - s);
      }
      return beta / (x + 1);
    },
    primitive: (x) => (x < 0 ? sig(alpha * x) : beta * Math.log(Math.abs(x + 1) + 1e-5) + 0.5),
  }),
};

/** S2NN surrogate. @param params.alpha (default 4, > 0) @param params.beta (default 1, > 0) */
export function s2nn(params: { alpha?: number; beta?: number } = {}): Surrogate {
  return createSurrogate(s2nnFamily, params);
}
