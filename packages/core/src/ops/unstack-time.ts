import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * The time steps of a `[T, ...]` tensor, each `[...]`. For T = 1 it reshapes instead of unstacking:
 * tf.unstack's gradient breaks for a single output (it receives dy, not [dy]).
 */
export function unstackTime(x: Tensor): Tensor[] {
  return x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
}
