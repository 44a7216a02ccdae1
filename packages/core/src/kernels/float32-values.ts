import type { DataType } from '@tensorflow/tfjs-core';

/**
 * The float32 values behind a tensor's storage on a JS-driven backend (cpu and the backends built on
 * it): the array itself when it is a Float32Array; a float32 copy when a float32 tensor is stored as
 * a Uint8Array or Int32Array (tf.js's cpu `Cast` from bool or int32 shares its input's storage, e.g.
 * spikes made with `tf.cast(tf.greaterEqual(u, vth), 'float32')`); null otherwise.
 * @param dtype the tensor's dtype
 * @param values `backend.data.get(dataId).values`
 */
export function float32Values(dtype: DataType, values: unknown): Float32Array | null {
  if (values instanceof Float32Array) return values;
  return dtype === 'float32' && (values instanceof Uint8Array || values instanceof Int32Array) ? Float32Array.from(values) : null;
}
