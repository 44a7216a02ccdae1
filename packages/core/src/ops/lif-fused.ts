import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { DEEPSPIKE_LIF, type LIFAttrs } from '../kernels/names.js';
import { registerLIFGradient } from '../gradients/lif-grad.js';

/**
 * LIF over T through the `DeepSpikeLIF` kernel (one pass over T) and, for gradients,
 * `DeepSpikeLIFGrad` (one reverse pass). The caller checks that the backend has both.
 * @param x [T, ...] float32 currents
 */
export function lifFused(x: Tensor, opts: { vth: number; tau: number; surrogate: Surrogate; detachReset: boolean }): { spikes: Tensor; u: Tensor } {
  registerLIFGradient();
  const attrs: LIFAttrs = { vth: opts.vth, tau: opts.tau, surrogate: opts.surrogate, detachReset: opts.detachReset };
  const [spikes, u] = tf.engine().runKernel(DEEPSPIKE_LIF, { x }, attrs as unknown as tf.NamedAttrMap) as Tensor[];
  return { spikes: spikes as Tensor, u: u as Tensor };
}
