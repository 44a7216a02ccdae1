import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { treeOverSamples } from '../distributed/deterministic-reduction.js';

/** The padding forms a conv gradient accepts. */
export type ConvPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
/** A stride or dilation: one number or `[h, w]`. */
export type ConvPair = number | [number, number];

function pair(v: ConvPair): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/**
 * Gradient of `conv2d(x, W)` with respect to the filter W, computed as a convolution of the
 * transposed input with the transposed output-gradient, so it needs only the `Conv2D`, `Transpose`
 * and `Slice` kernels that every backend has (tf.js's wasm backend has no `Conv2DBackpropFilter`).
 *
 * `dW[kh, kw, ci, co] = sum_{n, oh, ow} x_pad[n, oh*s + kh*d, ow*s + kw*d, ci] * dy[n, oh, ow, co]`,
 * i.e. a conv of `x^T [Ci, H, W, N]` by `dy^T [OH, OW, N, Co]` with stride d and dilation s.
 *
 * @param x [N, H, W, Ci] the forward input
 * @param dy [N, OH, OW, Co] gradient of the forward output
 * @param filterShape [KH, KW, Ci, Co]
 * @param strides forward strides s
 * @param pad forward padding
 * @param dilations forward dilations d (s and d cannot both exceed 1, as in tf.conv2d)
 * @returns [KH, KW, Ci, Co]
 */
export function conv2dFilterGradViaConv(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: [number, number, number, number],
  strides: ConvPair,
  pad: ConvPad,
  dilations: ConvPair = 1,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): Tensor4D {
  check(x.rank === 4 && dy.rank === 4, () => `conv2dFilterGradViaConv: x and dy must be rank 4 (NHWC), got ranks ${x.rank} and ${dy.rank}; expected 4 and 4.`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [dh, dw] = [info.dilationHeight, info.dilationWidth];
  const { top, left } = info.padInfo;
  check(info.outHeight === dy.shape[1] && info.outWidth === dy.shape[2], () =>
    `conv2dFilterGradViaConv: dy has spatial size [${dy.shape[1]}, ${dy.shape[2]}], got shape [${dy.shape.join(', ')}]; ` +
    `expected [${info.outHeight}, ${info.outWidth}] for x [${x.shape.join(', ')}] and filter [${filterShape.join(', ')}].`,
  );
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]) as Tensor4D; // [Ci, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D; // [OH, OW, N, Co]
    // Bottom/right padding just large enough for KH x KW outputs (rows past it never reach the
    // forward output; extra outputs, when the input is longer, are sliced off below).
    const bottom = Math.max(0, (kh - 1) * dh + (info.outHeight - 1) * sh + 1 - x.shape[1] - top);
    const right = Math.max(0, (kw - 1) * dw + (info.outWidth - 1) * sw + 1 - x.shape[2] - left);
    const explicit: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const g = tf.conv2d(xT, dyT, [dh, dw], explicit, 'NHWC', [sh, sw]); // [Ci, >=KH, >=KW, Co]
    const cut = g.shape[1] === kh && g.shape[2] === kw ? g : tf.slice(g, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(cut, [1, 2, 0, 3]) as Tensor4D;
  });
}

/**
 * Gradient of `conv2d(x, W)` (stride 1, dilation 1) with respect to x, as a convolution of dy by
 * the spatially flipped, in/out-swapped filter:
 * `dx = conv2d(dy, flip(W)^T)` with padding `(kh-1-top, kh-1-bottom)`, `(kw-1-left, kw-1-right)`.
 * On tf.js's wasm backend this runs on XNNPACK's Conv2D, about 13x faster than its
 * Conv2DBackpropInput loop (measured on [256,28,28,32] -> 64 channels, 3x3).
 * @param dy [N, OH, OW, Co]
 * @param filter [KH, KW, Ci, Co]
 * @param xShape [N, H, W, Ci]
 * @returns [N, H, W, Ci]
 */
export function conv2dInputGradViaConv(
  dy: Tensor4D,
  filter: Tensor4D,
  xShape: [number, number, number, number],
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(xShape, filter.shape as [number, number, number, number], 1, 1, pad, dimRoundingMode);
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  check(top <= kh - 1 && bottom <= kh - 1 && left <= kw - 1 && right <= kw - 1, () =>
    `conv2dInputGradViaConv: padding [${top}, ${bottom}, ${left}, ${right}] exceeds the kernel [${kh}, ${kw}] minus one, got pad ${JSON.stringify(pad)}; expected at most ${kh - 1}/${kw - 1}. Use conv2dTranspose for such padding.`,
  );
  return tf.tidy(() => {
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as Tensor4D;
    const explicit: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [kh - 1 - top, kh - 1 - bottom],
      [kw - 1 - left, kw - 1 - right],
      [0, 0],
    ];
    return tf.conv2d(dy, flipped, 1, explicit);
  });
}

/** Backends whose Conv2DBackpropInput is much slower than their Conv2D (so stride-1 input grads use a conv). */
const SLOW_BACKPROP_INPUT = new Set(['wasm']);

function backendHas(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/**
 * `dL/dx` of `conv2d(x, filter)` (NHWC, dilation 1) on the current backend: a conv by the flipped
 * filter where the backend's Conv2DBackpropInput is slow (wasm, stride 1), else conv2dTranspose.
 */
export function conv2dInputGrad(
  dy: Tensor4D,
  filter: Tensor4D,
  xShape: [number, number, number, number],
  strides: ConvPair,
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): Tensor4D {
  const filterShape = filter.shape as [number, number, number, number];
  const [sh, sw] = pair(strides);
  const padInfo = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode).padInfo;
  const fitsFlip = padInfo.top < filterShape[0] && padInfo.bottom < filterShape[0] && padInfo.left < filterShape[1] && padInfo.right < filterShape[1];
  return sh === 1 && sw === 1 && fitsFlip && SLOW_BACKPROP_INPUT.has(tf.getBackend())
    ? conv2dInputGradViaConv(dy, filter, xShape, pad, dimRoundingMode)
    : tf.conv2dTranspose(dy, filter, xShape, strides, pad as 'valid' | 'same' | number, dimRoundingMode);
}

/**
 * `dL/dfilter` of `conv2d(x, filter)` (NHWC, dilation 1) on the current backend: its own
 * Conv2DBackpropFilter kernel where it has one, else {@link conv2dFilterGradViaConv}.
 */
export function conv2dFilterGrad(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: [number, number, number, number],
  strides: ConvPair,
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): Tensor4D {
  return backendHas('Conv2DBackpropFilter')
    ? (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides,
        pad,
        dataFormat: 'NHWC',
        dimRoundingMode,
        filterShape,
      } as unknown as NamedAttrMap) as Tensor4D)
    : conv2dFilterGradViaConv(x, dy, filterShape, strides, pad, 1, dimRoundingMode);
}

/**
 * The extra `Conv2D` attribute by which a layer under deterministic reductions asks
 * {@link conv2dGradConfig} for a tree-summed filter gradient: the kernels ignore it, the gradient reads
 * how the merged batch splits into time steps and sample blocks.
 */
export const TREE_ATTR = 'deepspikeTreeReduction';

/** The value of {@link TREE_ATTR}: `x` is `[steps*N, H, W, C]`, summed over blocks of `granule` samples. */
export interface TreeReduction {
  readonly steps: number;
  readonly granule: number;
}

/** DeepSpike's gradient for the `Conv2D` kernel (NHWC, dilation 1 as in tf.js). */
export const conv2dGradConfig: GradConfig = {
  kernelName: tf.Conv2D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, filter] = saved as [Tensor4D, Tensor4D];
    const dy4 = dy as Tensor4D;
    const { dilations, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
    const [dh, dw] = pair(dilations as ConvPair);
    check(dh === 1 && dw === 1, () =>
      `conv2d gradient: dilations must be 1, got [${dh}, ${dw}]; expected [1, 1]. Use dilation 1 in trained layers.`,
    );
    check(dataFormat === 'NHWC', () => `conv2d gradient: dataFormat must be NHWC, got ${dataFormat}; expected NHWC. DeepSpike keeps channels last.`);
    const filterShape = filter.shape as [number, number, number, number];
    return {
      x: () => conv2dInputGrad(dy4, filter, x.shape, strides as ConvPair, pad as ConvPad, dimRoundingMode),
      filter: () => {
        // tf.js types attributes as AttributeValue; this one is the plain object the layer passed.
        const tree = attrs[TREE_ATTR] as unknown as TreeReduction | undefined;
        if (!tree) return conv2dFilterGrad(x, dy4, filterShape, strides as ConvPair, pad as ConvPad, dimRoundingMode);
        // Deterministic reductions: the merged [T*N, …] batch as [T, N, …], summed over sample blocks in a fixed tree.
        const steps = (t: Tensor): Tensor => tf.reshape(t, [tree.steps, -1, ...t.shape.slice(1)]);
        return treeOverSamples([steps(x), steps(dy4)], tree.granule, ([xj, dyj]) =>
          conv2dFilterGrad(xj as Tensor4D, dyj as Tensor4D, filterShape, strides as ConvPair, pad as ConvPad, dimRoundingMode));
      },
    };
  },
};

/**
 * Registers {@link conv2dGradConfig} in place of tf.js's Conv2D gradient. It uses the backend's own
 * `Conv2DBackpropFilter` kernel where there is one and the conv-based filter gradient elsewhere, so
 * training works on every backend. Called after each backend load, since importing
 * `@tensorflow/tfjs` (as tfjs-node does) re-registers tf.js's own gradients.
 */
export function registerConv2DGradient(): void {
  if (tf.getGradient(tf.Conv2D) === conv2dGradConfig) return;
  tf.registerGradient(conv2dGradConfig);
}
