import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { tdbnWithStats, type TdbnOptions } from './tdbn-stats.js';

/**
 * Threshold-dependent batch normalisation (Zheng et al., AAAI 2021), training mode: per channel,
 * statistics over every axis but the last (T, N, H, W), biased variance,
 *
 * `y = lambda*(alpha*Vth*(x - mean)/sqrt(var + eps)) + beta`.
 *
 * Differentiable in x (through mean and var), lambda and beta. Runs the fused `DeepSpikeTdBN`
 * kernel when the active backend registers it (cpu, deepspike-native), composite ops otherwise
 * (wasm).
 *
 * @param x [T, N, H, W, C] or [T, N, C] float32 input currents (channels last)
 * @param opts alpha > 0, vth > 0, lambda [C], beta [C], epsilon (default 1e-5), implementation
 * @returns same shape as x
 * @throws InvalidArgumentError for a wrong rank or layout (with an NCHW hint), alpha <= 0,
 *   vth <= 0, or lambda/beta not [C]
 */
export function tdbn(x: Tensor, opts: TdbnOptions): Tensor {
  const r = tdbnWithStats(x, opts, 'tdbn');
  tf.dispose([r.mean, r.variance]);
  return r.y;
}
