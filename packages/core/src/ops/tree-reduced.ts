import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { treeOverSamples } from '../distributed/deterministic-reduction.js';
import { TREE_ATTR, type ConvPad, type ConvPair, type TreeReduction } from '../gradients/conv2d-grad.js';

/**
 * The fully connected and convolution layers under deterministic reductions
 * (`setDeterministicReduction`): the same forward ops and input gradients as the plain layers, and
 * weight/bias gradients summed over sample blocks in a fixed tree (`treeOverSamples`).
 */

type Grad = (...inputs: Tensor[]) => Tensor;
const customGrad = (f: (...args: never[]) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor[] }): Grad =>
  tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Grad;

/**
 * `y = x·kernel (+ bias)` on `[T, N, in]`.
 * @returns [T, N, out]
 */
export function treeReducedLinear(x: Tensor, kernel: Tensor, bias: Tensor | null, samples: number): Tensor {
  const [t, n, inF] = x.shape as [number, number, number];
  const units = kernel.shape[1] as number;
  const f = customGrad(((xx: Tensor, w: Tensor, save: tf.GradSaveFunc) => {
    save([xx, w]);
    return {
      value: tf.reshape(tf.matMul(tf.reshape(xx, [t * n, inF]), w), [t, n, units]),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws] = saved as [Tensor, Tensor];
        const dx = tf.reshape(tf.matMul(tf.reshape(dy, [t * n, units]), ws, false, true), xs.shape);
        return [dx, treeOverSamples([xs, dy], samples, ([xj, dyj]) => tf.matMul(xj!, dyj!, true, false))];
      },
    };
  }) as never);
  const y = f(x, kernel);
  return bias ? treeReducedBiasAdd(y, bias, samples) : y;
}

/**
 * `conv2d(x, kernel)` on the merged `[T*N, H, W, C]` images (NHWC, dilation 1): the backend's Conv2D
 * kernel with {@link TREE_ATTR}, so DeepSpike's Conv2D gradient sums the filter gradient over sample
 * blocks (and computes the input gradient only when something upstream needs it).
 */
export function treeReducedConv2d(x4: Tensor4D, kernel: Tensor, strides: ConvPair, pad: ConvPad, tree: TreeReduction): Tensor4D {
  const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined, [TREE_ATTR]: tree };
  return tf.engine().runKernel(tf.Conv2D, { x: x4, filter: kernel }, attrs as unknown as tf.NamedAttrMap) as Tensor4D;
}

/** `y + bias` on `[T, N, …, C]`, the bias gradient summed over sample blocks in a fixed tree. */
export function treeReducedBiasAdd(y: Tensor, bias: Tensor, samples: number): Tensor {
  const f = customGrad(((yy: Tensor, b: Tensor) => ({
    value: tf.add(yy, b),
    gradFunc: (dy: Tensor) => [tf.clone(dy), treeOverSamples([dy], samples, ([dyj]) => tf.sum(dyj!, dyj!.shape.slice(0, -1).map((_, i) => i)))],
  })) as never);
  return f(y, bias);
}
