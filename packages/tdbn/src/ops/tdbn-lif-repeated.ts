import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { check, copiesOverTime, windowsTile } from '@deepspike/core';
import { hasFusedTdbnLifRepeated } from '../kernels/register.js';
import { TDBN_LIF_POOL_SURROGATES, TDBN_LIF_REPEATED_KERNEL, type TdbnLifRepeatedKernelAttrs } from '../kernels/names.js';
import { messages } from '../messages.js';
import { varianceFromInvStd, type TdbnOptions } from './tdbn-stats.js';
import { checkTdbnLif, tdbnLifWithStats, type FusedLifOptions, type TdbnLifResult } from './tdbn-lif.js';
import { tdbnLifPoolWithStats } from './tdbn-lif-pool.js';

/**
 * `tdbnLifWithStats(tile(x, T))`, or with `poolSize` k `tdbnLifPoolWithStats(tile(x, T), k)`, for a
 * one-step x [1, N, H, W, C] / [1, N, C] that stands for itself repeated over T steps: a direct
 * encoding's first conv computed once instead of on T equal copies (conv(tile(x)) = tile(conv(x))).
 * Where the backend has the fused kernel (`DeepSpikeTdBNLIFRepeated`, deepspike-native) the copies
 * are never made: the statistics are x's (those of the tiled tensor), each block of x is normalised
 * once for the T steps, and the gradient is the tiled tensor's summed over T, computed without
 * storing the per-step gradients. Elsewhere (other backends, implementation 'composite' or
 * 'custom-gradient', a surrogate outside `TDBN_LIF_POOL_SURROGATES`) it tiles x and runs the per-step
 * op, whose gradient sums over T the same way. The two agree to float32 rounding.
 * The caller owns the three tensors; `spikes` is [T, N, ...] (pooled: [T, N, H/k, W/k, C]).
 * @param x [1, N, H, W, C] or [1, N, C] (with a pool, [1, N, H, W, C] tiled by k x k windows)
 * @param timesteps T >= 1
 * @param poolSize the tiling average pool's window k after the neuron, or null for none
 */
export function tdbnLifRepeatedWithStats(
  x: Tensor, norm: TdbnOptions, neuron: FusedLifOptions, timesteps: number, poolSize: number | null = null, where = 'tdbnLifRepeated',
): TdbnLifResult {
  check(x.shape[0] === 1 && Number.isInteger(timesteps) && timesteps >= 1, () => messages.repeatedInput(where, x.shape, timesteps));
  if (poolSize !== null) check(windowsTile(x.shape, poolSize), () => messages.poolTiling(where, x.shape, poolSize));
  const { alpha, vth: normVth, epsilon, detachReset, path } = checkTdbnLif(x, norm, neuron, where);
  const sur = neuron.surrogate;
  const kernelSurrogate = TDBN_LIF_POOL_SURROGATES.includes(sur.name) && typeof sur.params.alpha === 'number';
  if (path !== 'fused' || !kernelSurrogate || !hasFusedTdbnLifRepeated()) {
    return tf.tidy(() => {
      const tiled = copiesOverTime(x, timesteps);
      if (poolSize === null) return { ...tdbnLifWithStats(tiled, norm, neuron, null, where) };
      const r = tdbnLifPoolWithStats(tiled, norm, neuron, poolSize, where);
      return { spikes: r.pooled, mean: r.mean, variance: r.variance };
    }) as unknown as TdbnLifResult;
  }
  return tf.tidy(() => {
    const attrs: TdbnLifRepeatedKernelAttrs = {
      gain: alpha * normVth, epsilon, vth: neuron.vth, tau: neuron.tau, surrogate: neuron.surrogate, detachReset, timesteps, poolSize: poolSize ?? 0,
    };
    const step = tf.reshape(x, x.shape.slice(1));
    const [spikes, mean, invStd] = tf.engine().runKernel(TDBN_LIF_REPEATED_KERNEL, { x: step, lambda: norm.lambda, beta: norm.beta }, attrs as unknown as NamedAttrMap) as Tensor[];
    const variance = varianceFromInvStd(invStd as Tensor, epsilon);
    return { spikes: spikes as Tensor, mean: mean as Tensor, variance };
  });
}
