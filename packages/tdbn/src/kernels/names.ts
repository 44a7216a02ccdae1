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
