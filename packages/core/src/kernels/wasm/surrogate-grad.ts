import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { resolveSurrogateAttr } from '../resolve-surrogate.js';
import { DEEPSPIKE_SURROGATE_GRAD, type SurrogateGradAttrs } from '../names.js';

/** wasm `DeepSpikeSurrogateGrad`: `out[i] = g'(x[i])` with the surrogate's JS `derivative`, on heap views. */
export const surrogateGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  const g = resolveSurrogateAttr((attrs as unknown as SurrogateGradAttrs).surrogate);
  const out = wasm.makeOutput(x.shape, 'float32');
  const xs = wasm.typedArrayFromHeap(x) as Float32Array;
  const os = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < xs.length; i++) os[i] = g(xs[i] as number);
  return out;
};

/** Kernel config registered for the `wasm` backend. */
export const surrogateGradWasmConfig: KernelConfig = { kernelName: DEEPSPIKE_SURROGATE_GRAD, backendName: 'wasm', kernelFunc: surrogateGradWasm };
