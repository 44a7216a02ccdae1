/**
 * Spike-sequence layout helpers. A sequence is `[T, N, H, W, C]` (time first, channels last, as
 * tf.js convolutions want) or `[T, N, C]` for dense layers. Stateless layers run on the merged
 * `[T*N, ...]` view; neurons walk T.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { messages } from '../messages.js';

/**
 * Checks that `x` is a sequence `[T, N, ...feature]` with at least `minRank` axes (default 3).
 * @param x [T, N, ...] sequence
 * @param where the calling function, for the message
 */
export function assertSequence(x: Tensor, where: string, minRank = 3, name = 'x'): void {
  check(x.rank >= minRank, () =>
    messages.layoutRank(
      where,
      name,
      x.shape,
      `rank >= ${minRank}: [T, N, H, W, C] or [T, N, C] (time first)`,
      'Add the time axis first, e.g. repeatOverTime(x, T) for a static input.',
    ),
  );
}

/**
 * Merges time into the batch axis.
 * @param x [T, N, ...rest]
 * @returns [T*N, ...rest]
 */
export function mergeTime(x: Tensor): Tensor {
  assertSequence(x, 'mergeTime', 2);
  const [t, n, ...rest] = x.shape as number[];
  return tf.reshape(x, [(t as number) * (n as number), ...rest]);
}

/**
 * Splits the merged batch axis back into time and batch.
 * @param x [T*N, ...rest]
 * @param timesteps T
 * @returns [T, N, ...rest]
 */
export function splitTime(x: Tensor, timesteps: number): Tensor {
  check(Number.isInteger(timesteps) && timesteps >= 1, () => `splitTime: timesteps must be a positive integer, got ${timesteps}; expected >= 1.`);
  const [tn, ...rest] = x.shape as number[];
  check(x.rank >= 1 && (tn as number) % timesteps === 0, () =>
    messages.layoutDim('splitTime', 'x', x.shape, `has a first axis of ${tn} not divisible by T=${timesteps}`, `a first axis of T*N`, 'Pass the T the tensor was merged with.'),
  );
  return tf.reshape(x, [timesteps, (tn as number) / timesteps, ...rest]);
}

/**
 * Repeats a static input over time (the paper's direct encoding).
 * @param x [N, ...rest]
 * @param timesteps T >= 1
 * @returns [T, N, ...rest]
 */
export function repeatOverTime(x: Tensor, timesteps: number): Tensor {
  check(Number.isInteger(timesteps) && timesteps >= 1, () => `repeatOverTime: timesteps must be a positive integer, got ${timesteps}; expected >= 1.`);
  return tf.tidy(() => tf.tile(tf.expandDims(x, 0), [timesteps, ...new Array<number>(x.rank).fill(1)]));
}

/**
 * The T copies of a one-step sequence, differentiable at every rank (the gradient is the sum over
 * T): a broadcasting add, as tf.js's Tile (and broadcastTo, which runs it) has no gradient beyond
 * rank 4.
 * @param x [1, N, ...rest]
 * @param timesteps T >= 1
 * @returns [T, N, ...rest]
 */
export function copiesOverTime(x: Tensor, timesteps: number): Tensor {
  check(x.shape[0] === 1 && Number.isInteger(timesteps) && timesteps >= 1, () =>
    `copiesOverTime: expected a one-step sequence [1, N, ...] and a positive integer T, got x [${x.shape.join(', ')}] and T ${timesteps}; pass the sequence's single step and the model's timesteps.`,
  );
  if (timesteps === 1) return x.clone();
  return tf.tidy(() => tf.add(x, tf.zeros([timesteps, ...x.shape.slice(1)])));
}

/**
 * Checks that a rank-5 sequence is channels-last `[T, N, H, W, C]` with `channels` channels; a
 * tensor whose third axis equals `channels` instead is answered with an NCHW hint.
 * @param x [T, N, H, W, C]
 */
export function assertChannelsLast(x: Tensor, channels: number, where: string, name = 'x'): void {
  check(x.rank === 5 || x.rank === 3, () =>
    messages.layoutRank(where, name, x.shape, 'rank 5 [T, N, H, W, C] or rank 3 [T, N, C]', 'Add the time axis first and keep channels last.'),
  );
  const c = x.shape[x.rank - 1];
  if (c === channels) return;
  const looksNCHW = x.rank === 5 && x.shape[2] === channels;
  check(false, () =>
    messages.layoutDim(
      where,
      name,
      x.shape,
      `has ${c} channels on the last axis`,
      `${channels} channels last ([T, N, H, W, C])`,
      looksNCHW
        ? 'The input looks channels-first ([T, N, C, H, W]); transpose it with tf.transpose(x, [0, 1, 3, 4, 2]).'
        : 'Check the layer was built for this input.',
    ),
  );
}
