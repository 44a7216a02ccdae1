import type { SurrogateAttr } from '@deepspike/core';

/**
 * Names and attribute types of the fused tdBN kernels. The precise contract (inputs, outputs,
 * numerics) is in `./README.md`; backends register implementations under these names.
 */

/** Forward kernel: inputs `{x [M, C], lambda [C], beta [C]}` -> `[y [M, C], mean [C], invStd [C]]`. */
export const TDBN_KERNEL = 'DeepSpikeTdBN';

/** Backward kernel: inputs `{dy, x, mean, invStd, lambda}` -> `[dx [M, C], dLambda [C], dBeta [C]]`. */
export const TDBN_GRAD_KERNEL = 'DeepSpikeTdBNGrad';

/** Attributes of {@link TDBN_KERNEL}. */
export interface TdbnKernelAttrs {
  /** tdBN's alpha (> 0). */
  alpha: number;
  /** The threshold Vth of the neurons fed (> 0). */
  vth: number;
  /** Variance epsilon (>= 0). */
  epsilon: number;
}

/** Attributes of {@link TDBN_GRAD_KERNEL}. */
export interface TdbnGradKernelAttrs {
  alpha: number;
  vth: number;
}

/**
 * tdBN fused into the LIF neuron it feeds: inputs `{x [T, n, C], lambda [C], beta [C]}` ->
 * `[spikes [T, n, C], mean [C], invStd [C]]`, `spikes = LIF(tdBN(x))`. See README.md.
 */
export const TDBN_LIF_KERNEL = 'DeepSpikeTdBNLIF';

/** {@link TDBN_LIF_KERNEL} with a residual added before the neuron: inputs also `{residual [T, n, C]}`, `spikes = LIF(tdBN(x) + residual)`. */
export const TDBN_ADD_LIF_KERNEL = 'DeepSpikeTdBNAddLIF';

/**
 * Backward of both: inputs `{dSpikes, x, mean, invStd, lambda, beta[, residual]}` ->
 * `[dx, dLambda, dBeta[, dResidual]]` (dResidual exactly when residual is given).
 */
export const TDBN_LIF_GRAD_KERNEL = 'DeepSpikeTdBNLIFGrad';

/** Attributes of {@link TDBN_LIF_KERNEL}, {@link TDBN_ADD_LIF_KERNEL} and {@link TDBN_LIF_GRAD_KERNEL}. */
export interface TdbnLifKernelAttrs {
  /** The norm's factor between the normalised input and lambda: alpha*Vth for tdBN, 1 for BN (> 0). */
  gain: number;
  /** Variance epsilon (>= 0). */
  epsilon: number;
  /** The neuron's threshold (> 0). */
  vth: number;
  /** The neuron's decay factor in [0, 1). */
  tau: number;
  /** The neuron's surrogate, as for `DeepSpikeLIF` (`{name, params}` and, on JS backends, `derivative`). */
  surrogate: SurrogateAttr;
  /** Cut the gradient through the reset factor. */
  detachReset: boolean;
}

/**
 * {@link TDBN_LIF_KERNEL} followed by the average pool of k x k windows at stride k that tiles the
 * neurons' images: inputs `{x [T, N, H, W, C], lambda [C], beta [C]}` (H, W multiples of k) ->
 * `[pooled [T, N, H/k, W/k, C], mean [C], invStd [C]]`, `pooled = avgPool(LIF(tdBN(x)))`; the spikes
 * themselves are never stored. Registered where a backend implements it (deepspike-native);
 * `tdbnLifPoolWithStats` composes the two ops elsewhere.
 */
export const TDBN_LIF_POOL_KERNEL = 'DeepSpikeTdBNLIFAvgPool';

/** Backward of {@link TDBN_LIF_POOL_KERNEL}: inputs `{dPooled, x, mean, invStd, lambda, beta}` -> `[dx, dLambda, dBeta]`. */
export const TDBN_LIF_POOL_GRAD_KERNEL = 'DeepSpikeTdBNLIFAvgPoolGrad';

/**
 * The surrogates (registered name, with a numeric `params.alpha`) a backend registering
 * {@link TDBN_LIF_POOL_KERNEL} must support in its gradient; with any other the op composes.
 */
export const TDBN_LIF_POOL_SURROGATES: readonly string[] = ['rect', 'sigmoid', 'atan', 'piecewise-quadratic'];

/** Attributes of {@link TDBN_LIF_POOL_KERNEL} and its gradient: the tdBN+LIF's and the window size k. */
export interface TdbnLifPoolKernelAttrs extends TdbnLifKernelAttrs {
  poolSize: number;
}

/**
 * tdBN+LIF (optionally with the tiling average pool) on a repeated input: inputs `{x [n, C] or
 * [N, H, W, C], lambda [C], beta [C]}`, x standing for itself repeated over `timesteps` steps (a
 * direct encoding's first conv computed once instead of T times) -> `[spikes [T, n, C] (with
 * `poolSize` k > 0: pooled [T, N, H/k, W/k, C]), mean [C], invStd [C]]`: the outputs of
 * {@link TDBN_LIF_KERNEL} / {@link TDBN_LIF_POOL_KERNEL} on the tiled x, without tiling it.
 * Registered where a backend implements it (deepspike-native); `tdbnLifRepeatedWithStats` tiles and
 * runs the per-step ops elsewhere.
 */
export const TDBN_LIF_REPEATED_KERNEL = 'DeepSpikeTdBNLIFRepeated';

/**
 * Backward of {@link TDBN_LIF_REPEATED_KERNEL}: inputs `{dSpikes (or dPooled), x, mean, invStd,
 * lambda, beta}` -> `[dx [x's shape] (the tiled x's gradient summed over T), dLambda, dBeta]`.
 */
export const TDBN_LIF_REPEATED_GRAD_KERNEL = 'DeepSpikeTdBNLIFRepeatedGrad';

/** Attributes of {@link TDBN_LIF_REPEATED_KERNEL} and its gradient. */
export interface TdbnLifRepeatedKernelAttrs extends TdbnLifKernelAttrs {
  /** T: how many steps x stands for (>= 1). */
  timesteps: number;
  /** The tiling average pool's window k, or 0 for none. */
  poolSize: number;
}
