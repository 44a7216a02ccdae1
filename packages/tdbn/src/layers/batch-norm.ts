import type { Tensor } from '@tensorflow/tfjs-core';
import { ChannelNorm, type ChannelNormOptions, type FoldingFactors } from './channel-norm.js';
import { fold, type FoldedLayer } from '../fold/fold.js';

/** Options of {@link BatchNorm}. */
export type BatchNormOptions = ChannelNormOptions;

/**
 * Plain batch normalisation over T·N (and H, W) per channel, on `[T, N, H, W, C]` or `[T, N, C]`:
 * `y = lambda*(x - mean)/sqrt(var + eps) + beta` — tdBN without the alpha*Vth factor.
 * Its scale (gamma in most frameworks) is named `lambda` like tdBN's so every norm of this package
 * has the same parameter names: `lambda` [C] (init 1), `beta` [C] (0), buffers `runningMean`,
 * `runningVar` (momentum 0.1, unbiased variance).
 */
export class BatchNorm extends ChannelNorm {
  constructor(name: string, options: BatchNormOptions) {
    super(name, options, `BatchNorm "${name}"`);
  }

  protected override get fusesWithNeuron(): boolean {
    return true;
  }

  protected get gain(): number {
    return 1;
  }

  /** Inference-mode `y = scale*x + shift` per channel: `scale = lambda/sqrt(runningVar + eps)`. */
  foldingFactors(): FoldingFactors {
    return this.channelFactors();
  }

  /** Folds this BN (running statistics) into the conv/linear layer feeding it: `fold(w, b, this)`. */
  fold(convWeight: Tensor, convBias: Tensor | null = null): FoldedLayer {
    return fold(convWeight, convBias, this);
  }
}
