import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { TDBN_KERNEL, type TdbnKernelAttrs } from '../names.js';
import { tdbnForwardArrays } from './tdbn-math.js';
import { valuesOf, type JsBackend } from './js-backend.js';

/**
 * cpu kernel of `DeepSpikeTdBN` (see `../README.md`): inputs `{x [M, C], lambda [C], beta [C]}`,
 * attrs `{alpha, vth, epsilon}`, outputs `[y [M, C], mean [C], invStd [C]]`.
 */
export const tdbnCpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, lambda, beta } = inputs as { x: TensorInfo; lambda: TensorInfo; beta: TensorInfo };
  const { alpha, vth, epsilon } = attrs as unknown as TdbnKernelAttrs;
  const b = backend as unknown as JsBackend;
  const [m, c] = x.shape as [number, number];
  const r = tdbnForwardArrays(valuesOf(b, x, TDBN_KERNEL), m, c, valuesOf(b, lambda, TDBN_KERNEL), valuesOf(b, beta, TDBN_KERNEL), alpha, vth, epsilon);
  return [b.makeTensorInfo([m, c], 'float32', r.y), b.makeTensorInfo([c], 'float32', r.mean), b.makeTensorInfo([c], 'float32', r.invStd)];
};

/** Registration record of {@link tdbnCpuKernel} for a JS backend (default `cpu`). */
export function tdbnKernelConfig(backendName = 'cpu'): KernelConfig {
  return { kernelName: TDBN_KERNEL, backendName, kernelFunc: tdbnCpuKernel };
}

