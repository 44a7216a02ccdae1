import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { backendHasKernels, check, DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, lif, type Surrogate } from '@deepspike/core';
import { hasFusedTdbnLif } from '../kernels/register.js';
import { TDBN_ADD_LIF_KERNEL, TDBN_LIF_KERNEL, type TdbnLifKernelAttrs } from '../kernels/names.js';
import { messages } from '../messages.js';
import { checkTdbnOptions, tdbnWithStats, varianceFromInvStd, type TdbnOptions } from './tdbn-stats.js';
import { checkPositive } from './validate.js';
import { requireSyncablePath } from './synced-stats.js';
import { tdbnLifCustomGrad } from './tdbn-lif-custom-grad.js';

/** How {@link tdbnLifWithStats} runs on the active backend. */
export type TdbnLifPath = 'fused' | 'custom-gradient' | 'composite';

/**
 * The path {@link tdbnLifWithStats} takes for a norm's `implementation`: `'composite'` composes
 * `tdbnWithStats` and `lif`; otherwise the fused kernels where the backend has them (cpu,
 * deepspike-native), the composition where it has only the LIF kernels (wasm), and one custom
 * gradient over tf.js ops where it has none (tensorflow, webgl, webgpu). `'custom-gradient'` forces that.
 */
export function tdbnLifPath(implementation: TdbnOptions['implementation'] = 'auto'): TdbnLifPath {
  if (implementation === 'composite' || implementation === 'custom-gradient') return implementation;
  if (hasFusedTdbnLif()) return 'fused';
  return backendHasKernels(DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD) ? 'composite' : 'custom-gradient';
}

/** The STBP LIF neuron a tdBN feeds (as core's `lif` takes it). */
export interface FusedLifOptions {
  /** Threshold > 0. */
  readonly vth: number;
  /** Decay factor in [0, 1). */
  readonly tau: number;
  /** Surrogate of the spike's derivative. */
  readonly surrogate: Surrogate;
  /** Cut the gradient through the reset factor (default false). */
  readonly detachReset?: boolean;
}

/** Output of {@link tdbnLifWithStats}. */
export interface TdbnLifResult {
  /** x's shape, 0/1 float32. */
  readonly spikes: Tensor;
  /** [C] batch mean over every axis but the last. */
  readonly mean: Tensor;
  /** [C] biased batch variance. */
  readonly variance: Tensor;
}

/**
 * The checks of a fused tdBN+LIF op (norm options, the neuron's vth and tau, a path that can
 * synchronise statistics when they are synchronised) and what it runs with.
 */
export function checkTdbnLif(x: Tensor, norm: TdbnOptions, neuron: FusedLifOptions, where: string) {
  const { c, alpha, vth, epsilon } = checkTdbnOptions(x, norm, where);
  checkPositive(neuron.vth, 'neuron vth', "the neuron's firing threshold", where);
  check(typeof neuron.tau === 'number' && neuron.tau >= 0 && neuron.tau < 1, () => messages.tau(where, neuron.tau));
  const path = tdbnLifPath(norm.implementation);
  // The composite path syncs through tdbnWithStats; the custom gradient cannot.
  if (path !== 'composite') requireSyncablePath(where, path === 'fused');
  return { c, alpha, vth, epsilon, detachReset: neuron.detachReset ?? false, path };
}

/**
 * Training-mode tdBN followed by the STBP LIF neuron it feeds, optionally with a residual added in
 * between: `spikes = lif(tdbn(x) [+ residual])`. With the fused kernels (`DeepSpikeTdBNLIF` /
 * `DeepSpikeTdBNAddLIF`, registered for cpu and deepspike-native) neither the normalised current
 * nor the membrane potential is stored, and the backward recomputes them in cache: about half the
 * memory passes of running `tdbnWithStats` and `lif` one after the other, which is what the
 * fallback does (the wasm backend, or `implementation: 'composite'`). On backends without any
 * DeepSpike kernel (tensorflow, webgl, webgpu) it is one custom gradient over tf.js ops
 * (`tdbn-lif-custom-grad.ts`; see {@link tdbnLifPath}). Values and gradients agree with the
 * composition to float32 rounding (the fused kernels normalise with the float32 mean).
 *
 * The caller owns the three tensors.
 * @param x [T, N, H, W, C] or [T, N, C]
 * @param residual null, or a tensor of x's shape added to the normalised x
 */
export function tdbnLifWithStats(x: Tensor, norm: TdbnOptions, neuron: FusedLifOptions, residual: Tensor | null = null, where = 'tdbnLif'): TdbnLifResult {
  const { c, alpha, vth: normVth, epsilon, detachReset, path } = checkTdbnLif(x, norm, neuron, where);
  if (residual) check(tf.util.arraysEqual(residual.shape, x.shape), () => messages.residualShape(where, residual.shape, x.shape));
  if (path === 'custom-gradient') {
    return tdbnLifCustomGrad(x, norm.lambda, norm.beta, residual, { c, gain: alpha * normVth, epsilon }, { ...neuron, detachReset });
  }
  if (path === 'composite') {
    return tf.tidy(() => {
      const r = tdbnWithStats(x, norm, where);
      const h = residual ? tf.add(r.y, residual) : r.y;
      const spikes = lif(h, { vth: neuron.vth, tau: neuron.tau, surrogate: neuron.surrogate, detachReset }).spikes;
      return { spikes, mean: r.mean, variance: r.variance };
    });
  }
  const t = x.shape[0] as number;
  const view = [t, x.size / (t * c), c];
  return tf.tidy(() => {
    const attrs: TdbnLifKernelAttrs = { gain: alpha * normVth, epsilon, vth: neuron.vth, tau: neuron.tau, surrogate: neuron.surrogate, detachReset };
    const inputs: NamedTensorMap = { x: tf.reshape(x, view), lambda: norm.lambda, beta: norm.beta };
    if (residual) inputs.residual = tf.reshape(residual, view);
    const kernel = residual ? TDBN_ADD_LIF_KERNEL : TDBN_LIF_KERNEL;
    const [spikes, mean, invStd] = tf.engine().runKernel(kernel, inputs, attrs as unknown as NamedAttrMap) as Tensor[];
    const variance = varianceFromInvStd(invStd as Tensor, epsilon);
    return { spikes: tf.reshape(spikes as Tensor, x.shape), mean: mean as Tensor, variance };
  });
}
