import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32, MIN_BLOCK_COPY, nativeKernel, output, sizeOf, type NativeArgs } from './util.js';

/**
 * `Slice` for float32 as block copies: the axes after the last cut one are whole, so each run of the
 * output over them (times the cut axis's size) is one `TypedArray.set` from the input. Taking a range
 * of samples from every step of `[T, N, H, W, C]` (deterministic reductions' sample blocks) is T
 * copies this way; the cpu kernel walks such a slice element by element through index arithmetic
 * (about 0.5 µs per element). Contiguous slices and small runs run the cpu kernel.
 */
export const sliceConfig: KernelConfig = nativeKernel(tf.Slice, (_addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const xv = f32(backend, x);
  if (!xv) return null;
  const shape = x.shape as number[];
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin as number[], attrs.size as number[]);
  let cut = shape.length - 1;
  while (cut >= 0 && begin[cut] === 0 && size[cut] === shape[cut]) cut--;
  // No cut axis, or only the first: one contiguous range, which the cpu kernel copies at once.
  if (cut <= 0) return null;
  const stride = shape.map((_, i) => sizeOf(shape.slice(i + 1)));
  const run = (size[cut] as number) * (stride[cut] as number);
  if (run < MIN_BLOCK_COPY) return null;
  const out = alloc(backend, sizeOf(size));
  let to = 0;
  const copy = (axis: number, from: number): void => {
    if (axis === cut) {
      const start = from + (begin[cut] as number) * (stride[cut] as number);
      out.set(xv.subarray(start, start + run), to);
      to += run;
      return;
    }
    for (let i = 0; i < (size[axis] as number); i++) copy(axis + 1, from + ((begin[axis] as number) + i) * (stride[axis] as number));
  };
  if (out.length > 0) copy(0, 0);
  return output(backend, size, out);
});
