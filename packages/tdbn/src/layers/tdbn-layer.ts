import type { Tensor } from '@tensorflow/tfjs-core';
import { ChannelNorm, type ChannelNormOptions, type FoldingFactors } from './channel-norm.js';
import { fold, type FoldedLayer } from '../fold/fold.js';
import { foldToThreshold, type ThresholdFoldedLayer } from '../fold/fold-to-threshold.js';
import { checkPositive } from '../ops/validate.js';

/** Options of {@link TdBN}. */
export interface TdBNOptions extends ChannelNormOptions {
  /** alpha > 0: 1 on a plain path (default), 1/sqrt(2) on each branch summed by a residual add. */
  readonly alpha?: number;
  /** Vth > 0 of the neurons the output feeds; default 0.5 (the LIF default). */
  readonly vth?: number;
}

/** Default threshold of {@link TdBN} when none is given (the STBP LIF default). */
export const DEFAULT_TDBN_VTH = 0.5;

/**
 * Threshold-dependent batch normalisation layer (Zheng et al., AAAI 2021) on `[T, N, H, W, C]` or
 * `[T, N, C]` sequences:
 *
 * `y = lambda*(alpha*Vth*(x - mean)/sqrt(var + eps)) + beta`, statistics per channel over
 * (T, N, H, W); biased variance for normalising in training mode, running statistics (momentum
 * 0.1, unbiased variance) in inference mode.
 *
 * Parameters `lambda` [C] (init 1), `beta` [C] (init 0); buffers `runningMean` [C] (0),
 * `runningVar` [C] (1). Equivalent to SpikingJelly's `ThresholdDependentBatchNorm2d` with
 * `weight = lambda*alpha*Vth`.
 */
export class TdBN extends ChannelNorm {
  /** tdBN's alpha. */
  readonly alpha: number;
  /** The threshold of the neurons fed. */
  readonly vth: number;

  constructor(name: string, options: TdBNOptions) {
    super(name, options, `TdBN "${name}"`);
    this.alpha = checkPositive(options.alpha ?? 1, 'alpha', 'tdBN scale: 1 on a plain path, 1/sqrt(2) per residual branch', `TdBN "${name}"`);
    this.vth = checkPositive(options.vth ?? DEFAULT_TDBN_VTH, 'vth', 'the firing threshold of the neurons fed', `TdBN "${name}"`);
  }

  protected override get fusesWithNeuron(): boolean {
    return true;
  }

  protected get gain(): number {
    return this.alpha * this.vth;
  }

  /**
   * The inference-mode map `y = scale*x + shift` per channel (float64 math, float32 result):
   * `scale = lambda*alpha*Vth/sqrt(runningVar + eps)`, `shift = beta - scale*runningMean`.
   * Folding uses it: `W' = scale*W`, `b' = scale*b + shift`.
   */
  foldingFactors(): FoldingFactors {
    return this.channelFactors();
  }

  /**
   * The paper's inference folding of this norm into the conv/linear layer feeding it (running
   * statistics): `W' = lambda*alpha*Vth*W/sqrt(var + eps)`,
   * `b' = lambda*alpha*Vth*(b - mean)/sqrt(var + eps) + beta`. Same as `fold(w, b, this)`.
   * @param convWeight conv `[kh, kw, cin, C]` or linear `[in, C]` weight
   * @param convBias [C], or null when the layer has none
   */
  fold(convWeight: Tensor, convBias: Tensor | null = null): FoldedLayer {
    return fold(convWeight, convBias, this);
  }

  /**
   * Keeps W and moves the gain into a per-channel threshold `Vth/g` (requires every
   * `g = lambda*alpha*Vth/sqrt(var + eps) > 0`). Same as `foldToThreshold(w, b, this)`.
   */
  foldToThreshold(convWeight: Tensor, convBias: Tensor | null = null): ThresholdFoldedLayer {
    return foldToThreshold(convWeight, convBias, this);
  }
}
