import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

const stop = tf.customGrad(((x: Tensor) => ({ value: tf.clone(x), gradFunc: (dy: Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * Identity in the forward pass, zero gradient in the backward pass (PyTorch's `detach`).
 * @param x any tensor
 */
export function stopGradient(x: Tensor): Tensor {
  return stop(x);
}
