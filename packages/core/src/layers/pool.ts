import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from './layer-messages.js';
import { checkPadding, onImages, outputSize, toPair, type Padding, type Size2 } from './spatial.js';

/** Pooling reductions: mean, maximum, or sum over the window. */
export type PoolMode = 'avg' | 'max' | 'sum';

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
 * Spatial pooling on every time step at once. `avg` and `max` are tf.js's pools (with padding,
 * `avg` divides by the number of real inputs — PyTorch's `count_include_pad=False` — and `max`
 * ignores the padding). `sum` adds the window's values (zero padding): spikes in, spike counts
 * out, the pooling neuromorphic chips implement.
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
      if (this.mode === 'avg') return tf.avgPool(x4, this.size, this.stride, this.padding);
      if (this.mode === 'max') return tf.maxPool(x4, this.size, this.stride, this.padding);
      const c = x4.shape[3];
      const ones = tf.ones([this.size[0], this.size[1], c, 1]) as tf.Tensor4D;
      return tf.depthwiseConv2d(x4, ones, this.stride, this.padding) as Tensor4D;
    });
  }
}
