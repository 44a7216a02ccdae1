import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { DEEPSPIKE_LIF_GRAD, type LIFGradAttrs } from '../names.js';

/**
 * cpu `DeepSpikeLIFGrad`: one reverse pass over T. With `gu[T] = 0`, for t = T-1 .. 0:
 * `go[t] = dSpikes[t] + (detachReset ? 0 : gu[t+1] * (-tau*u[t]))`,
 * `gu[t] = dU[t] + go[t]*sg[t] + gu[t+1]*tau*(1 - spikes[t])`, output `dx[t] = gu[t]` (float32 `[T, ...]`).
 * Accumulates in doubles per element and rounds once on store.
 */
export const lifGradCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as MathBackendCPU;
  const read = (name: string): Float32Array => cpu.data.get((inputs[name] as TensorInfo).dataId).values as Float32Array;
  const dS = read('dSpikes');
  const dU = read('dU');
  const u = read('u');
  const o = read('spikes');
  const sg = read('sg');
  const { tau, detachReset } = attrs as unknown as LIFGradAttrs;
  const shape = (inputs.u as TensorInfo).shape;
  const t = shape[0] as number;
  const m = t === 0 ? 0 : u.length / t;
  const dx = new Float32Array(u.length);
  const tau32 = Math.fround(tau);
  const last = (t - 1) * m;
  for (let i = 0; i < m; i++) {
    const k = last + i;
    dx[k] = (dU[k] as number) + (dS[k] as number) * (sg[k] as number);
  }
  for (let s = t - 2; s >= 0; s--) {
    const base = s * m;
    for (let i = 0; i < m; i++) {
      const k = base + i;
      const next = dx[k + m] as number;
      const go = detachReset ? (dS[k] as number) : (dS[k] as number) + next * -(tau32 * (u[k] as number));
      dx[k] = (dU[k] as number) + go * (sg[k] as number) + next * tau32 * (1 - (o[k] as number));
    }
  }
  return cpu.makeTensorInfo(shape, 'float32', dx);
};

/** Kernel config registered for the `cpu` backend. */
export const lifGradCpuConfig: KernelConfig = { kernelName: DEEPSPIKE_LIF_GRAD, backendName: 'cpu', kernelFunc: lifGradCpu };
