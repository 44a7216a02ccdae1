import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { treeOverSamples } from '../distributed/deterministic-reduction.js';
import { TREE_ATTR, type ConvPad, type ConvPair, type TreeReduction } from '../gradients/conv2d-grad.js';

/**
 * The fully connected and convolution layers under deterministic reductions
 * (`setDeterministicReduction`): the same forward ops and input gradients as the plain layers, and
 * weight/bias gradients summed over sample blocks in a fixed tree (`treeOverSamples`).
 */

type Grad = (x: Tensor, ...rest: Tensor[]) => Tensor;
const customGrad = (f: (...args: never[]) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor[] }): Grad =>
  tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Grad;

/** The sum of `[T*g, …, C]` over every axis but the last: a bias gradient of one block. */
const biasGrad = (dy: Tensor): Tensor => tf.sum(dy, dy.shape.slice(0, -1).map((_, i) => i));

/**
 * `y = x·kernel (+ bias)` on `[T, N, in]`.
 * @returns [T, N, out]
 */
export function treeReducedLinear(x: Tensor, kernel: Tensor, bias: Tensor | null, samples: number): Tensor {
  const [t, n, inF] = x.shape as [number, number, number];
  const units = kernel.shape[1] as number;
  const forward = (xx: Tensor, w: Tensor, b?: Tensor): Tensor => {
    const y = tf.matMul(tf.reshape(xx, [t * n, inF]), w);
    return tf.reshape(b ? tf.add(y, b) : y, [t, n, units]);
  };
  const f = customGrad(((xx: Tensor, w: Tensor, b: Tensor | tf.GradSaveFunc, save?: tf.GradSaveFunc) => {
    const withBias = save !== undefined;
    (withBias ? save : (b as tf.GradSaveFunc))([xx, w]);
    return {
      value: forward(xx, w, withBias ? (b as Tensor) : undefined),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws] = saved as [Tensor, Tensor];
        const dx = tf.reshape(tf.matMul(tf.reshape(dy, [t * n, units]), ws, false, true), xs.shape);
        const dw = treeOverSamples(xs, dy, samples, (xj, dyj) => tf.matMul(xj, dyj, true, false));
        return withBias ? [dx, dw, treeOverSamples(xs, dy, samples, (_, dyj) => biasGrad(dyj))] : [dx, dw];
      },
    };
  }) as never);
  return bias ? f(x, kernel, bias) : f(x, kernel);
}

/**
 * `y = conv2d(x, kernel) (+ bias)` on `[T, N, H, W, C]` (NHWC, dilation 1): the backend's Conv2D
 * kernel with {@link TREE_ATTR}, so DeepSpike's Conv2D gradient sums the filter gradient over sample
 * blocks (and computes the input gradient only when something upstream needs it).
 * @returns [T, N, H', W', out]
 */
export function treeReducedConv2d(x: Tensor, kernel: Tensor, bias: Tensor | null, strides: ConvPair, pad: ConvPad, samples: number): Tensor {
  const [t, n, ...image] = x.shape as [number, number, number, number, number];
  const tree: TreeReduction = { steps: t, granule: samples };
  return tf.tidy(() => {
    const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined, [TREE_ATTR]: tree };
    const y = tf.engine().runKernel(tf.Conv2D, { x: tf.reshape(x, [t * n, ...image]), filter: kernel }, attrs as unknown as tf.NamedAttrMap) as Tensor;
    const y5 = tf.reshape(y, [t, n, ...y.shape.slice(1)]);
    return bias ? treeReducedBiasAdd(y5, bias, samples) : y5;
  });
}

/** `y + bias` on `[T, N, …, C]`, the bias gradient summed over sample blocks in a fixed tree. */
export function treeReducedBiasAdd(y: Tensor, bias: Tensor, samples: number): Tensor {
  const f = customGrad(((yy: Tensor, b: Tensor) => ({
    value: tf.add(yy, b),
    gradFunc: (dy: Tensor) => [tf.clone(dy), treeOverSamples(dy, dy, samples, (_, dyj) => biasGrad(dyj))],
  })) as never);
  return f(y, bias);
}
