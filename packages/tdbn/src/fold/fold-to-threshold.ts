import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import { checkPositive } from '../ops/validate.js';
import { checkFoldInputs, type FoldableNorm } from './fold.js';

/** A foldable norm that knows the threshold of the neurons it feeds (`TdBN`). */
export interface ThresholdFoldableNorm extends FoldableNorm {
  /** Vth of the neurons fed. */
  readonly vth: number;
}

/** Weight, bias and per-channel threshold after {@link foldToThreshold}. */
export interface ThresholdFoldedLayer {
  /** The weight unchanged (a copy the caller owns). */
  readonly weight: Tensor;
  /** [C] `b + shift/g` */
  readonly bias: Tensor;
  /** [C] per-channel threshold `Vth/g` for the neurons fed. */
  readonly threshold: Float32Array;
}

/**
 * Folds the norm into the neurons' thresholds instead of the weights (keeps integer or shared
 * weights intact): with `g = lambda*alpha*Vth/sqrt(var + eps)` and `shift = beta - g*mean`, the
 * norm's output is `g*(conv(x, W) + b + shift/g)`; since LIF is positively homogeneous
 * (`u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`, fire at `u >= Vth`), dividing the current by `g > 0`
 * gives the same spikes with the threshold `Vth/g`.
 *
 * @param convWeight conv `[kh, kw, cin, C]` or linear `[in, C]` weight (kept)
 * @param convBias [C], or null
 * @param norm a `TdBN` (its `vth`, unless `vth` is passed)
 * @param vth override of the threshold of the neurons fed
 * @throws InvalidArgumentError naming the channels where `g <= 0` (use {@link fold} there)
 */
export function foldToThreshold(convWeight: Tensor, convBias: Tensor | null | undefined, norm: ThresholdFoldableNorm, vth: number = norm.vth): ThresholdFoldedLayer {
  const c = norm.channels;
  checkFoldInputs(convWeight, convBias, c, 'foldToThreshold');
  checkPositive(vth, 'vth', 'the firing threshold of the neurons fed', 'foldToThreshold');
  const { scale, shift } = norm.foldingFactors();
  const bad: number[] = [];
  const badValues: number[] = [];
  for (let j = 0; j < c; j++) {
    const g = scale[j] as number;
    if (!(g > 0)) {
      bad.push(j);
      badValues.push(g);
    }
  }
  check(bad.length === 0, () => messages.foldThresholdSign('foldToThreshold', bad, badValues));
  const b = convBias ? convBias.dataSync() : new Float32Array(c);
  const bias = new Float32Array(c);
  const threshold = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    bias[j] = (b[j] as number) + (shift[j] as number) / (scale[j] as number);
    threshold[j] = vth / (scale[j] as number);
  }
  return { weight: tf.clone(convWeight), bias: tf.tensor1d(bias, 'float32'), threshold };
}
