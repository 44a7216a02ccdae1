import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, nativeKernel, output, type NativeArgs } from './util.js';

/**
 * `Cast` of bool / int32 to float32 as a real float32 copy. The cpu kernel returns the input's own
 * storage (a Uint8Array or Int32Array) under dtype float32, which no native kernel reads directly:
 * every later conv/matmul/LIF on it fell back to the JS kernels (a spike tensor made with
 * `tf.cast(tf.greaterEqual(u, vth), 'float32')` made a 64-channel conv 150x slower). Other casts run
 * the cpu kernel.
 */
export const castConfig: KernelConfig = nativeKernel(tf.Cast, (_addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  if (attrs.dtype !== 'float32' || (x.dtype !== 'bool' && x.dtype !== 'int32')) return null;
  const values = backend.data.get(x.dataId).values;
  if (!(values instanceof Uint8Array || values instanceof Int32Array)) return null;
  const out = alloc(backend, values.length);
  out.set(values);
  return output(backend, [...x.shape], out);
});
