import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { layerMessages } from '../messages.js';

/** A size given once for both spatial axes, or as `[height, width]`. */
export type Size2 = number | readonly [number, number];

/** Spatial padding: tf.js `"same"` (output `ceil(H/stride)`), `"valid"` (none), or `p` zeros on every side (PyTorch's `padding=p`). */
export type Padding = 'same' | 'valid' | number;

/** `[h, w]` of a {@link Size2}, checked to be positive integers. */
export function toPair(v: Size2, where: string, option: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const n of p) check(Number.isInteger(n) && n >= 1, () => layerMessages.positiveInt(where, option, v));
  return p;
}

/** Checks a {@link Padding} option. */
export function checkPadding(p: Padding, where: string): Padding {
  check(p === 'same' || p === 'valid' || (typeof p === 'number' && Number.isInteger(p) && p >= 0), () => layerMessages.padding(where, p));
  return p;
}

/** Checks that `n` is a positive integer. */
export function checkPositiveInt(n: unknown, where: string, option: string): number {
  check(typeof n === 'number' && Number.isInteger(n) && n >= 1, () => layerMessages.positiveInt(where, option, n));
  return n as number;
}

/**
 * Output size of one spatial axis under tf.js's conv/pool rules (the rules {@link Conv2d} and
 * {@link Pool} follow): `same` -> `ceil(in/stride)`, `valid` -> `floor((in - k)/stride) + 1`,
 * `p` -> `floor((in + 2p - k)/stride) + 1`.
 */
export function outputSize(input: number, kernel: number, stride: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(input / stride);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((input + 2 * p - kernel) / stride) + 1;
}

/**
 * Applies a 4-D image op `[M, H, W, C] -> [M, H', W', C']` to a sequence `[T, N, H, W, C]` through
 * the merged `[T*N, H, W, C]` view, or directly to a rank-4 batch.
 * @param x [T, N, H, W, C] or [N, H, W, C]
 */
export function onImages(x: Tensor, where: string, op: (x4: Tensor4D) => Tensor4D): Tensor {
  check(x.rank === 5 || x.rank === 4, () => layerMessages.inputRank(where, x.shape, 'rank 5 [T, N, H, W, C] (or rank 4 [N, H, W, C])'));
  if (x.rank === 4) return tf.tidy(() => op(x as Tensor4D));
  const [t, n, h, w, c] = x.shape as [number, number, number, number, number];
  return tf.tidy(() => {
    const y = op(tf.reshape(x, [t * n, h, w, c]) as Tensor4D);
    const [, ...out] = y.shape;
    return tf.reshape(y, [t, n, ...out]);
  });
}
