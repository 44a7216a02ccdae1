import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32, MIN_BLOCK_COPY, nativeKernel, output, sizeOf, type NativeArgs } from './util.js';

/**
 * `Tile` for float32 as block copies: the axes after the last repeated one are contiguous in both
 * input and output, so each output block of that size is one `TypedArray.set` from the input.
 * Direct encoding repeats the image over T this way (`[1, N, H, W, C]` x `[T, 1, 1, 1, 1]`), which the
 * cpu kernel does element by element through index arithmetic. Other cases run the cpu kernel.
 */
export const tileConfig: KernelConfig = nativeKernel(tf.Tile, (_addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const xv = f32(backend, x);
  const reps = attrs.reps as number[];
  if (!xv || reps.length !== x.shape.length) return null;
  const shape = x.shape as number[];
  const outShape = shape.map((d, i) => d * (reps[i] as number));
  let last = shape.length - 1;
  while (last >= 0 && reps[last] === 1) last--;
  const block = sizeOf(shape.slice(last + 1));
  if (last >= 0 && block < MIN_BLOCK_COPY) return null;
  const out = alloc(backend, sizeOf(outShape));
  if (last < 0) {
    out.set(xv);
    return output(backend, outShape, out);
  }
  const inStride = shape.map((_, i) => sizeOf(shape.slice(i + 1)));
  const outStride = outShape.map((_, i) => sizeOf(outShape.slice(i + 1)));
  const copy = (axis: number, from: number, to: number): void => {
    if (axis > last) {
      out.set(xv.subarray(from, from + block), to);
      return;
    }
    const d = shape[axis] as number;
    for (let o = 0; o < (outShape[axis] as number); o++) {
      copy(axis + 1, from + (o % d) * (inStride[axis] as number), to + o * (outStride[axis] as number));
    }
  };
  if (out.length > 0) copy(0, 0, 0);
  return output(backend, outShape, out);
});
