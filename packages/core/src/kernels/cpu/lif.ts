import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { DEEPSPIKE_LIF, type LIFAttrs } from '../names.js';

/**
 * cpu `DeepSpikeLIF`: one forward pass over T on typed arrays. For x `[T, ...]` with M = size/T
 * neurons, in float32 with the reference's order:
 * `u[t] = fround(fround(tau*u[t-1]) * (1 - o[t-1]) + x[t])`, `o[t] = (u[t] - vth >= 0) ? 1 : 0`,
 * `u[-1] = o[-1] = 0`. Outputs `[spikes, u]` (u pre-reset), both float32 `[T, ...]`.
 */
export const lifCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as MathBackendCPU;
  const x = inputs.x as TensorInfo;
  const { vth, tau } = attrs as unknown as LIFAttrs;
  const xs = cpu.data.get(x.dataId).values as Float32Array;
  const t = x.shape[0] as number;
  const m = t === 0 ? 0 : xs.length / t;
  const u = new Float32Array(xs.length);
  const o = new Float32Array(xs.length);
  const tau32 = Math.fround(tau);
  const vth32 = Math.fround(vth);
  for (let i = 0; i < m; i++) {
    const ui = xs[i] as number;
    u[i] = ui;
    o[i] = ui - vth32 >= 0 ? 1 : 0;
  }
  for (let s = 1; s < t; s++) {
    const base = s * m;
    const prev = base - m;
    for (let i = 0; i < m; i++) {
      // (1 - o) is 0 or 1, so only tau*u and the sum round; the Float32Array store rounds the sum.
      const ui = o[prev + i] === 1 ? (xs[base + i] as number) : Math.fround(tau32 * (u[prev + i] as number)) + (xs[base + i] as number);
      u[base + i] = ui;
      o[base + i] = (u[base + i] as number) - vth32 >= 0 ? 1 : 0;
    }
  }
  return [cpu.makeTensorInfo(x.shape, 'float32', o), cpu.makeTensorInfo(x.shape, 'float32', u)];
};

/** Kernel config registered for the `cpu` backend. */
export const lifCpuConfig: KernelConfig = { kernelName: DEEPSPIKE_LIF, backendName: 'cpu', kernelFunc: lifCpu };
