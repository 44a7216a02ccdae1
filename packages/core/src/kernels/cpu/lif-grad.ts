import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { lifBackwardLoop } from '../loops.js';
import { DEEPSPIKE_LIF_GRAD, type LIFGradAttrs } from '../names.js';

/**
 * cpu `DeepSpikeLIFGrad`: one reverse pass over T ({@link lifBackwardLoop}). With `gu[T] = 0`, for t = T-1 .. 0:
 * `go[t] = dSpikes[t] + (detachReset ? 0 : gu[t+1] * (-tau*u[t]))`,
 * `gu[t] = dU[t] + go[t]*sg[t] + gu[t+1]*tau*(1 - spikes[t])`, output `dx[t] = gu[t]` (float32 `[T, ...]`).
 * Accumulates in doubles per element and rounds once on store.
 */
export const lifGradCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as MathBackendCPU;
  const read = (name: string): Float32Array => cpu.data.get((inputs[name] as TensorInfo).dataId).values as Float32Array;
  const { tau, detachReset } = attrs as unknown as LIFGradAttrs;
  const shape = (inputs.u as TensorInfo).shape;
  const dx = new Float32Array(read('u').length);
  lifBackwardLoop(read('dSpikes'), read('dU'), read('u'), read('spikes'), read('sg'), shape[0] as number, tau, detachReset, dx);
  return cpu.makeTensorInfo(shape, 'float32', dx);
};

/** Kernel config registered for the `cpu` backend. */
export const lifGradCpuConfig: KernelConfig = { kernelName: DEEPSPIKE_LIF_GRAD, backendName: 'cpu', kernelFunc: lifGradCpu };
