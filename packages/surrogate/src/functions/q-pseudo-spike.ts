import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `QPseudoSpike`: `g'(x) = (1 + 2|x|/(alpha-1))^(-alpha)`;
 * `g(x) = H(x) - s*0.5*(1 + 2/(alpha-1)*s*x)^(1-alpha)`, `s = +1 if x >= 0 else -1`. Needs alpha > 1.
 */
export const qPseudoSpikeFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'q-pseudo-spike',
  description: 'q-PseudoSpike: heavy-tailed (1 + 2|x|/(alpha-1))^(-alpha).',
  params: { alpha: { default: 2, min: 1, exclusive: true, description: 'Tail index (> 1); smaller means heavier tails.' } },
  build: ({ alpha }) => ({
    derivative: (x) => (1 + (2 * Math.abs(x)) / (alpha - 1)) ** -alpha,
    derivativeOps: (x) => tf.tidy(() => tf.pow(tf.add(1, tf.mul(tf.abs(x), 2 / (alpha - 1))), -alpha)),
    primitive: (x) => {
      const s = x >= 0 ? 1 : -1;
      return (x >= 0 ? 1 : 0) - s * 0.5 * (1 + (2 / (alpha - 1)) * s * x) ** (1 - alpha);
    },
  }),
};

/** q-PseudoSpike surrogate. @param params.alpha tail index (default 2, > 1) */
export function qPseudoSpike(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(qPseudoSpikeFamily, params);
}
