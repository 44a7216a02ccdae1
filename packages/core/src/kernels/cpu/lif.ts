import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { lifForwardLoop } from '../loops.js';
import { DEEPSPIKE_LIF, type LIFAttrs } from '../names.js';

/**
 * cpu `DeepSpikeLIF`: one forward pass over T on typed arrays ({@link lifForwardLoop}). For x `[T, ...]`:
 * `u[t] = fround(fround(tau*u[t-1]) * (1 - o[t-1]) + x[t])`, `o[t] = (u[t] - vth >= 0) ? 1 : 0`,
 * `u[-1] = o[-1] = 0`. Outputs `[spikes, u]` (u pre-reset), both float32 `[T, ...]`.
 */
export const lifCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as MathBackendCPU;
  const x = inputs.x as TensorInfo;
  const { vth, tau } = attrs as unknown as LIFAttrs;
  const xs = cpu.data.get(x.dataId).values as Float32Array;
  const u = new Float32Array(xs.length);
  const o = new Float32Array(xs.length);
  lifForwardLoop(xs, x.shape[0] as number, vth, tau, u, o);
  return [cpu.makeTensorInfo(x.shape, 'float32', o), cpu.makeTensorInfo(x.shape, 'float32', u)];
};

/** Kernel config registered for the `cpu` backend. */
export const lifCpuConfig: KernelConfig = { kernelName: DEEPSPIKE_LIF, backendName: 'cpu', kernelFunc: lifCpu };
