import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { hasFusedTdbn } from '../kernels/register.js';
import { TDBN_KERNEL, type TdbnKernelAttrs } from '../kernels/names.js';
import { messages } from '../messages.js';
import { requireSyncablePath } from './synced-stats.js';
import { checkEpsilon, checkPerChannel, checkPositive, checkSequence } from './validate.js';

/** Which implementation {@link tdbnWithStats} runs. */
export type TdbnImplementation = 'auto' | 'fused' | 'custom-gradient' | 'composite';

/** Options of `tdbn`. */
export interface TdbnOptions {
  /** alpha > 0: 1 on a plain path, 1/sqrt(2) on each branch of a residual add. */
  readonly alpha: number;
  /** Vth > 0, the threshold of the neurons the output feeds. */
  readonly vth: number;
  /** [C] learnable scale lambda (1 at start). */
  readonly lambda: Tensor;
  /** [C] learnable shift beta (0 at start). */
  readonly beta: Tensor;
  /** Variance epsilon, default 1e-5. */
  readonly epsilon?: number;
  /**
   * `'auto'` (default) runs the fused `DeepSpikeTdBN` kernel when the active backend has it and
   * composite tf.js ops otherwise; `'fused'` requires the kernel; `'composite'` never uses it.
   * `'custom-gradient'` matters only where tdBN feeds a LIF (`tdbnLifWithStats`, `tdbnLifPath`): one
   * custom gradient over tf.js ops (what backends without DeepSpike's kernels run); tdBN alone then
   * runs composite ops.
   */
  readonly implementation?: TdbnImplementation;
}

/** Output of {@link tdbnWithStats}. */
export interface TdbnResult {
  /** Same shape as x. */
  readonly y: Tensor;
  /** [C] batch mean over every axis but the last. */
  readonly mean: Tensor;
  /** [C] biased batch variance. */
  readonly variance: Tensor;
}

/** Default variance epsilon of every norm in this package. */
export const DEFAULT_EPSILON = 1e-5;

/**
 * Checks a tdBN call's input and options (what `tdbnWithStats` and `tdbnLifWithStats` share): x a
 * float32 `[T, N, H, W, C]` or `[T, N, C]` sequence, alpha and vth > 0, epsilon >= 0 (default
 * {@link DEFAULT_EPSILON}), lambda and beta `[C]`.
 * @returns C and the checked scalars
 */
export function checkTdbnOptions(x: Tensor, opts: TdbnOptions, where: string): { c: number; alpha: number; vth: number; epsilon: number } {
  const c = checkSequence(x, where);
  const alpha = checkPositive(opts.alpha, 'alpha', 'tdBN scale: 1 on a plain path, 1/sqrt(2) per residual branch', where);
  const vth = checkPositive(opts.vth, 'vth', 'the firing threshold of the neurons fed', where);
  const epsilon = checkEpsilon(opts.epsilon ?? DEFAULT_EPSILON, where);
  checkPerChannel(opts.lambda, 'lambda', x, where);
  checkPerChannel(opts.beta, 'beta', x, where);
  return { c, alpha, vth, epsilon };
}

/**
 * Training-mode tdBN returning the batch statistics too (for running estimates). The caller owns
 * the three tensors. See `tdbn` for the equation; with the fused kernel, `variance` is recovered
 * as `1/invStd^2 - eps` (float32).
 * @param x [T, N, H, W, C] or [T, N, C]
 */
export function tdbnWithStats(x: Tensor, opts: TdbnOptions, where = 'tdbn'): TdbnResult {
  const { c, alpha, vth, epsilon } = checkTdbnOptions(x, opts, where);
  const impl = opts.implementation ?? 'auto';
  const fusedAvailable = hasFusedTdbn();
  check(impl !== 'fused' || fusedAvailable, () => messages.noFusedKernel(where, tf.getBackend(), TDBN_KERNEL));
  const m = x.size / c;
  requireSyncablePath(where, (impl === 'auto' || impl === 'fused') && fusedAvailable);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [m, c]);
    if ((impl === 'auto' || impl === 'fused') && fusedAvailable) {
      const attrs: TdbnKernelAttrs = { alpha, vth, epsilon };
      const [y2, mean, invStd] = tf.engine().runKernel(TDBN_KERNEL, { x: x2, lambda: opts.lambda, beta: opts.beta }, attrs as unknown as NamedAttrMap) as Tensor[];
      const variance = varianceFromInvStd(invStd as Tensor, epsilon);
      return { y: tf.reshape(y2 as Tensor, x.shape), mean: mean as Tensor, variance };
    }
    const mean = tf.mean(x2, 0);
    const xc = tf.sub(x2, mean);
    const variance = tf.mean(tf.square(xc), 0);
    const scale = tf.mul(tf.mul(opts.lambda, alpha * vth), tf.rsqrt(tf.add(variance, epsilon)));
    const y2 = tf.add(tf.mul(xc, scale), opts.beta);
    return { y: tf.reshape(y2, x.shape), mean, variance };
  });
}

/** The biased variance from a kernel's invStd = 1/sqrt(variance + epsilon) (clamped at 0 against rounding). */
export function varianceFromInvStd(invStd: Tensor, epsilon: number): Tensor {
  return tf.relu(tf.sub(tf.reciprocal(tf.square(invStd)), epsilon));
}
