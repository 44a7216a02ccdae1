import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { spike } from './spike.js';

/**
 * The parallel spiking neuron (Fang et al., NeurIPS 2023; SpikingJelly `PSN`), non-iterative:
 * `H = W·X + B`, `S = H(H - vth)`, where X is the input sequence viewed as [T, M] (M = everything
 * after time), W [T, T] mixes the T steps and B [T] is added per step. Every step sees every
 * other (W is dense), so the neuron needs the whole sequence; the spikes train through the
 * surrogate with gradients for x, W and B.
 * @param x [T, N, ...] input currents
 * @param weight [T, T] time-mixing weights
 * @param bias [T] per-step bias
 * @returns spikes and hidden states H, each x's shape
 */
export function psn(x: Tensor, weight: Tensor, bias: Tensor, opts: { readonly vth: number; readonly surrogate: Surrogate }): { spikes: Tensor; h: Tensor } {
  return tf.tidy(() => {
    const t = x.shape[0] as number;
    const flat = tf.reshape(x, [t, -1]);
    const h = tf.reshape(tf.add(tf.matMul(weight as tf.Tensor2D, flat as tf.Tensor2D), tf.reshape(bias, [t, 1])), x.shape);
    return { spikes: spike(tf.sub(h, opts.vth), opts.surrogate), h };
  });
}
