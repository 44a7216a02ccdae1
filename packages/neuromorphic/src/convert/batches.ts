import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** A test batch for calibration/verification: inputs and optional integer labels. */
export interface LabelledBatch {
  readonly x: Tensor;
  readonly y?: Int32Array;
}

/**
 * The first `n` samples of a loader batch (`x` `[N, ...]` static or `[T, N, ...]` events, `y` `[N]`),
 * as new tensors/arrays the caller owns; the batch itself is disposed.
 */
export function takeSamples(batch: { x: Tensor; y: Tensor }, n: number): LabelledBatch & { readonly count: number } {
  const events = batch.x.rank === 5;
  const N = batch.x.shape[events ? 1 : 0] as number;
  const take = Math.min(N, n);
  const x = events ? tf.slice(batch.x, [0, 0], [-1, take]) : tf.slice(batch.x, [0], [take]);
  const y = Int32Array.from((batch.y.dataSync() as ArrayLike<number>) as ArrayLike<number>).subarray(0, take);
  batch.x.dispose();
  batch.y.dispose();
  return { x, y, count: take };
}

/** Frees the tensors of batches. */
export function disposeBatches(batches: readonly LabelledBatch[]): void {
  for (const b of batches) b.x.dispose();
}
