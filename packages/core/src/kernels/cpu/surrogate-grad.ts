import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { resolveSurrogateAttr } from '../resolve-surrogate.js';
import { DEEPSPIKE_SURROGATE_GRAD, type SurrogateGradAttrs } from '../names.js';

/** cpu `DeepSpikeSurrogateGrad`: `out[i] = g'(x[i])` with the surrogate's JS `derivative` (float32 out). */
export const surrogateGradCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as MathBackendCPU;
  const x = inputs.x as TensorInfo;
  const g = resolveSurrogateAttr((attrs as unknown as SurrogateGradAttrs).surrogate);
  const xs = cpu.data.get(x.dataId).values as Float32Array;
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = g(xs[i] as number);
  return cpu.makeTensorInfo(x.shape, 'float32', out);
};

/** Kernel config registered for the `cpu` backend. */
export const surrogateGradCpuConfig: KernelConfig = { kernelName: DEEPSPIKE_SURROGATE_GRAD, backendName: 'cpu', kernelFunc: surrogateGradCpu };
