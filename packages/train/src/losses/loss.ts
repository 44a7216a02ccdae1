import * as tf from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';

/**
 * A training loss. `compute` is called inside the gradient closure, so it must be built from tf ops.
 */
export interface Loss {
  /** Registered name, e.g. `"rate-ce"`. */
  readonly name: string;
  /** The options it was built with (after defaults). */
  readonly options: Readonly<Record<string, number>>;
  /**
   * @param output the model output: logits `[N, C]` (readout already averaged over T) or per-step
   *   outputs `[T, N, C]`
   * @param labels int32 `[N]` class indices
   * @returns the scalar loss, averaged over the batch
   */
  compute(output: Tensor, labels: Tensor): Scalar;
}

/** Options understood by the built-in losses (each takes the ones it needs). */
export interface LossOptions {
  /** TET: weight λ of the MSE regulariser (default 0.001). */
  readonly lambda?: number;
  /** TET: the constant φ the per-step outputs are pulled towards (default 1). */
  readonly means?: number;
  readonly [option: string]: unknown;
}

/**
 * The per-sample class scores used for accuracy and by the rate losses: `[N, C]` as is,
 * `[T, N, C]` averaged over T (the mean-over-time readout of STBP-tdBN).
 * @param output `[N, C]` or `[T, N, C]`
 * @returns `[N, C]`
 */
export function meanOverTime(output: Tensor): Tensor {
  check(output.rank === 2 || output.rank === 3, () => messages.lossOutputRank('meanOverTime', output.shape));
  return output.rank === 3 ? tf.mean(output, 0) : output;
}

/** Checks `labels` is int32 `[N]` matching the output's batch size N. */
export function checkLabels(where: string, scores: Tensor, labels: Tensor): void {
  const n = scores.shape[scores.rank - 2];
  check(labels.rank === 1 && labels.shape[0] === n, () => messages.lossLabels(where, labels.shape, n ?? -1));
  check(labels.dtype === 'int32', () => messages.lossLabelsDtype(where, labels.dtype));
}

/**
 * Mean cross-entropy of logits against class labels: `-(1/N) Σ_n log softmax(z_n)[y_n]`.
 * @param logits `[N, C]`
 * @param labels int32 `[N]`
 */
export function crossEntropy(logits: Tensor, labels: Tensor): Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[1] as number;
    const oneHot = tf.oneHot(labels, classes);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as Scalar;
  });
}

/**
 * Number of samples whose highest score is the label.
 * @param output `[N, C]` or `[T, N, C]` (averaged over T first)
 * @param labels int32 `[N]`
 */
export function countCorrect(output: Tensor, labels: Tensor): number {
  const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(meanOverTime(output), 1), labels), 'int32')));
  const n = correct.dataSync()[0] as number;
  correct.dispose();
  return n;
}
