import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { TDBN_GRAD_KERNEL, type TdbnGradKernelAttrs } from '../names.js';
import { tdbnBackwardArrays } from './tdbn-math.js';
import { valuesOf, type JsBackend } from './js-backend.js';

/**
 * cpu kernel of `DeepSpikeTdBNGrad` (see `../README.md`): inputs `{dy [M, C], x [M, C], mean [C],
 * invStd [C], lambda [C]}`, attrs `{alpha, vth}`, outputs `[dx [M, C], dLambda [C], dBeta [C]]`.
 */
export const tdbnGradCpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, mean, invStd, lambda } = inputs as Record<'dy' | 'x' | 'mean' | 'invStd' | 'lambda', TensorInfo>;
  const { alpha, vth } = attrs as unknown as TdbnGradKernelAttrs;
  const b = backend as unknown as JsBackend;
  const [m, c] = x.shape as [number, number];
  const w = TDBN_GRAD_KERNEL;
  const r = tdbnBackwardArrays(valuesOf(b, dy, w), valuesOf(b, x, w), m, c, valuesOf(b, mean, w), valuesOf(b, invStd, w), valuesOf(b, lambda, w), alpha, vth);
  return [b.makeTensorInfo([m, c], 'float32', r.dx), b.makeTensorInfo([c], 'float32', r.dLambda), b.makeTensorInfo([c], 'float32', r.dBeta)];
};

/** Registration record of {@link tdbnGradCpuKernel} for a JS backend (default `cpu`). */
export function tdbnGradKernelConfig(backendName = 'cpu'): KernelConfig {
  return { kernelName: TDBN_GRAD_KERNEL, backendName, kernelFunc: tdbnGradCpuKernel };
}
