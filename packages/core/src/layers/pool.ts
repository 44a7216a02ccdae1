import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';
import { checkPadding, onImages, outputSize, toPair, type Padding, type Size2 } from './spatial.js';

/** Pooling reductions: mean, maximum, or sum over the window. */
export type PoolMode = 'avg' | 'max' | 'sum';

/** The explicit zero padding tf.js applies for `padding` (top, bottom, left, right), and the output size. */
function padInfo(shape: readonly number[], size: [number, number], stride: [number, number], padding: Padding) {
  const info = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], size, stride, 1, padding);
  return { ...info.padInfo, inHeight: info.inHeight, inWidth: info.inWidth, outHeight: info.outHeight, outWidth: info.outWidth };
}

/**
 * Sum over each window, zero padding included: avg pool of the explicitly zero-padded input times
 * the window area. AvgPool and Pad have gradients on every backend (wasm lacks the depthwise-conv
 * input gradient a ones-filter convolution would need).
 */
function sumPool(x: Tensor4D, size: [number, number], stride: [number, number], padding: Padding): Tensor4D {
  const p = padInfo(x.shape, size, stride, padding);
  const padded = p.top + p.bottom + p.left + p.right > 0 ? tf.pad(x, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]) : x;
  return tf.mul(tf.avgPool(padded, size, stride, 'valid'), size[0] * size[1]);
}

/** Number of real (unpadded) inputs in each window, as a `[1, OH, OW, 1]` constant. */
function windowCounts(shape: readonly number[], size: [number, number], stride: [number, number], padding: Padding): Tensor4D {
  const p = padInfo(shape, size, stride, padding);
  const axis = (n: number, out: number, k: number, s: number, before: number): number[] =>
    Array.from({ length: out }, (_, i) => Math.min(i * s - before + k, n) - Math.max(i * s - before, 0));
  const rows = axis(p.inHeight, p.outHeight, size[0], stride[0], p.top);
  const cols = axis(p.inWidth, p.outWidth, size[1], stride[1], p.left);
  return tf.tensor4d(rows.flatMap((r) => cols.map((c) => r * c)), [1, p.outHeight, p.outWidth, 1]);
}

/** Options of {@link Pool}. */
export interface PoolOptions {
  /** Reduction (default `"avg"`). */
  readonly mode?: PoolMode;
  /** Window size `k` or `[kh, kw]`. */
  readonly size: Size2;
  /** Stride (default: the window size). */
  readonly stride?: Size2;
  /** Padding (default `"valid"`). */
  readonly padding?: Padding;
}

/**
 * Spatial pooling on every time step at once. `max` is tf.js's (padding ignored); `avg` with padding
 * divides by the number of real inputs in the window (PyTorch's `count_include_pad=False`), with a
 * gradient that agrees with it (tf.js's own padded AvgPool gradient divides by the full window).
 * `sum` adds the window's values (zero padding): spikes in, spike counts out, the pooling
 * neuromorphic chips implement; differentiable on every backend.
 */
export class Pool extends Layer {
  readonly mode: PoolMode;
  readonly size: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding;

  constructor(name: string, options: PoolOptions) {
    super(name);
    const where = `Pool "${name}"`;
    const mode = options.mode ?? 'avg';
    check(mode === 'avg' || mode === 'max' || mode === 'sum', () => layerMessages.poolMode(where, mode));
    this.mode = mode;
    this.size = toPair(options.size, where, 'size');
    this.stride = toPair(options.stride ?? options.size, where, 'stride');
    this.padding = checkPadding(options.padding ?? 'valid', where);
  }

  /**
   * @param x [T, N, H, W, C] (or [N, H, W, C])
   * @returns [T, N, H', W', C]
   */
  forward(x: Tensor): Tensor {
    const where = `Pool "${this.name}"`;
    if (x.rank >= 4) {
      const [h, w] = x.shape.slice(-3, -1) as [number, number];
      check(outputSize(h, this.size[0], this.stride[0], this.padding) >= 1 && outputSize(w, this.size[1], this.stride[1], this.padding) >= 1, () =>
        layerMessages.poolTooLarge(where, x.shape, this.size),
      );
    }
    return onImages(x, where, (x4) => {
      if (this.mode === 'max') return tf.maxPool(x4, this.size, this.stride, this.padding);
      if (this.mode === 'sum') return sumPool(x4, this.size, this.stride, this.padding);
      if (this.padding === 'valid' || this.padding === 0) return tf.avgPool(x4, this.size, this.stride, 'valid');
      // tf.js's padded AvgPool divides by the real inputs but its gradient by the full window: divide
      // the sum by the count ourselves so the gradient matches the forward.
      return tf.div(sumPool(x4, this.size, this.stride, this.padding), windowCounts(x4.shape, this.size, this.stride, this.padding)) as Tensor4D;
    });
  }
}
