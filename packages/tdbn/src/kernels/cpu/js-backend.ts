import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { float32Values } from '@deepspike/core';

/**
 * The part of tfjs-backend-cpu's `MathBackendCPU` the JS kernels use: the typed array behind a
 * tensor (`data.get(dataId).values`) and `makeTensorInfo` for outputs. Typed structurally so this
 * package does not depend on tfjs-backend-cpu.
 */
export interface JsBackend {
  readonly data: { get(dataId: DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
}

/**
 * The float32 values of a tensor held by a JS backend. A float32 tensor stored as another typed
 * array (tf.js's cpu Cast from bool or int32 shares the input's storage, e.g. spikes made by
 * `tf.cast(tf.greater(...), 'float32')`) is read as a float32 copy.
 */
export function valuesOf(backend: JsBackend, t: TensorInfo, where: string): Float32Array {
  const stored = backend.data.get(t.dataId).values;
  const v = float32Values(t.dtype, stored);
  if (v) return v;
  throw new Error(`${where}: expected float32 data on the backend, got ${Object.prototype.toString.call(stored)}`);
}
