import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-cpu's `MathBackendCPU` the JS kernels use: the typed array behind a
 * tensor (`data.get(dataId).values`) and `makeTensorInfo` for outputs. Typed structurally so this
 * package does not depend on tfjs-backend-cpu.
 */
export interface JsBackend {
  readonly data: { get(dataId: DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
}

/** The float32 values of a tensor held by a JS backend. */
export function valuesOf(backend: JsBackend, t: TensorInfo, where: string): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (!(v instanceof Float32Array)) throw new Error(`${where}: expected float32 data on the backend, got ${Object.prototype.toString.call(v)}`);
  return v;
}
