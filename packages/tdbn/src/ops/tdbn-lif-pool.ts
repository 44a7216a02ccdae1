import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { check, windowsTile } from '@deepspike/core';
import { hasFusedTdbnLifPool } from '../kernels/register.js';
import { TDBN_LIF_POOL_KERNEL, TDBN_LIF_POOL_SURROGATES, type TdbnLifPoolKernelAttrs } from '../kernels/names.js';
import { messages } from '../messages.js';
import { varianceFromInvStd, type TdbnOptions } from './tdbn-stats.js';
import { checkTdbnLif, tdbnLifWithStats, type FusedLifOptions } from './tdbn-lif.js';

/** Output of {@link tdbnLifPoolWithStats}. */
export interface TdbnLifPoolResult {
  /** [T, N, H/k, W/k, C]: the spikes average-pooled over k x k windows at stride k. */
  readonly pooled: Tensor;
  /** [C] batch mean over every axis but the last. */
  readonly mean: Tensor;
  /** [C] biased batch variance. */
  readonly variance: Tensor;
}

/**
 * `avgPool(lif(tdbn(x)), size)` with k x k windows at stride k that tile the image, training mode:
 * the average pool a spiking VGG block puts after its neuron. Where the backend has the fused kernel
 * (`DeepSpikeTdBNLIFAvgPool`, deepspike-native) the spikes are never stored: the kernel pools each
 * block of neurons while it is in cache, and its gradient expands the pooled gradient in the same
 * sweep, saving the spikes' write and read and the pool's passes over them. Elsewhere (other
 * backends, an `implementation` other than the fused path, a surrogate outside
 * `TDBN_LIF_POOL_SURROGATES`) it is {@link tdbnLifWithStats} then `tf.avgPool`. Both
 * give the same pooled values (the fused kernel's equal the pool kernel's bit for bit) and gradients
 * to float32 rounding. The caller owns the three tensors.
 * @param x [T, N, H, W, C] with H and W multiples of `size`
 */
export function tdbnLifPoolWithStats(x: Tensor, norm: TdbnOptions, neuron: FusedLifOptions, size: number, where = 'tdbnLifPool'): TdbnLifPoolResult {
  check(windowsTile(x.shape, size), () => messages.poolTiling(where, x.shape, size));
  const [t, n, h, w, c] = x.shape as [number, number, number, number, number];
  const { alpha, vth: normVth, epsilon, detachReset, path } = checkTdbnLif(x, norm, neuron, where);
  const sur = neuron.surrogate;
  const kernelSurrogate = TDBN_LIF_POOL_SURROGATES.includes(sur.name) && typeof sur.params.alpha === 'number';
  if (path !== 'fused' || !kernelSurrogate || !hasFusedTdbnLifPool()) {
    return tf.tidy(() => {
      const r = tdbnLifWithStats(x, norm, neuron, null, where);
      const pooled = tf.avgPool(tf.reshape(r.spikes, [t * n, h, w, c]) as tf.Tensor4D, size, size, 'valid');
      return { pooled: tf.reshape(pooled, [t, n, h / size, w / size, c]), mean: r.mean, variance: r.variance };
    });
  }
  return tf.tidy(() => {
    const attrs: TdbnLifPoolKernelAttrs = { gain: alpha * normVth, epsilon, vth: neuron.vth, tau: neuron.tau, surrogate: neuron.surrogate, detachReset, poolSize: size };
    const [pooled, mean, invStd] = tf.engine().runKernel(TDBN_LIF_POOL_KERNEL, { x, lambda: norm.lambda, beta: norm.beta }, attrs as unknown as NamedAttrMap) as Tensor[];
    const variance = varianceFromInvStd(invStd as Tensor, epsilon);
    return { pooled: pooled as Tensor, mean: mean as Tensor, variance };
  });
}
