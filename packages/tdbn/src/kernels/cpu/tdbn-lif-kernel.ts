import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { lifBackwardLoop, lifForwardLoop, resolveSurrogateAttr } from '@deepspike/core';
import { TDBN_ADD_LIF_KERNEL, TDBN_LIF_GRAD_KERNEL, TDBN_LIF_KERNEL, type TdbnLifKernelAttrs } from '../names.js';
import { tdbnBackwardArrays, tdbnStatsArrays } from './tdbn-math.js';
import { valuesOf, type JsBackend } from './js-backend.js';

/**
 * The neuron's input `v = k*(x - mean) + beta [+ residual]` per channel in float32 arithmetic (every
 * operation rounded), `k = fround(lambda*gain*invStd)`, with the float32 `mean` and `invStd` the
 * kernel outputs: the native kernels' arithmetic, and the same in the forward and the backward's
 * recomputation.
 */
function neuronInput(
  x: Float32Array, residual: Float32Array | null, c: number, mean: Float32Array, invStd: Float32Array,
  lambda: Float32Array, beta: Float32Array, gain: number,
): Float32Array {
  const f = Math.fround;
  const k = new Float32Array(c);
  for (let j = 0; j < c; j++) k[j] = (lambda[j] as number) * gain * (invStd[j] as number);
  const v = new Float32Array(x.length);
  for (let base = 0; base < x.length; base += c) {
    for (let j = 0; j < c; j++) v[base + j] = f((k[j] as number) * f((x[base + j] as number) - (mean[j] as number))) + (beta[j] as number);
  }
  if (residual) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) + (residual[i] as number);
  return v;
}

/** Forward of both fused kernels on a JS backend: statistics, the neuron input, the LIF over T. */
function forward(residualName: 'residual' | null): KernelFunc {
  const where = residualName ? TDBN_ADD_LIF_KERNEL : TDBN_LIF_KERNEL;
  return ({ inputs, backend, attrs }) => {
    const b = backend as unknown as JsBackend;
    const x = inputs.x as TensorInfo;
    const [t, n, c] = x.shape as [number, number, number];
    const { gain, epsilon, vth, tau } = attrs as unknown as TdbnLifKernelAttrs;
    const xv = valuesOf(b, x, where);
    const { mean, invStd } = tdbnStatsArrays(xv, t * n, c, epsilon);
    const r = residualName ? valuesOf(b, inputs[residualName] as TensorInfo, where) : null;
    const v = neuronInput(xv, r, c, mean, invStd, valuesOf(b, inputs.lambda as TensorInfo, where), valuesOf(b, inputs.beta as TensorInfo, where), gain);
    const u = new Float32Array(v.length);
    const spikes = new Float32Array(v.length);
    lifForwardLoop(v, t, vth, tau, u, spikes);
    return [b.makeTensorInfo([t, n, c], 'float32', spikes), b.makeTensorInfo([c], 'float32', mean), b.makeTensorInfo([c], 'float32', invStd)];
  };
}

/** cpu `DeepSpikeTdBNLIF` (see `../README.md`). */
export const tdbnLifCpuKernel: KernelFunc = forward(null);
/** cpu `DeepSpikeTdBNAddLIF` (see `../README.md`). */
export const tdbnAddLifCpuKernel: KernelFunc = forward('residual');

/**
 * cpu `DeepSpikeTdBNLIFGrad`: recomputes the potentials, runs the LIF reverse pass to the gradient
 * of the neuron input, then tdBN's backward from it. Outputs `[dx, dLambda, dBeta[, dResidual]]`.
 */
export const tdbnLifGradCpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as JsBackend;
  const w = TDBN_LIF_GRAD_KERNEL;
  const read = (name: string): Float32Array => valuesOf(b, inputs[name] as TensorInfo, w);
  const x = inputs.x as TensorInfo;
  const [t, n, c] = x.shape as [number, number, number];
  const a = attrs as unknown as TdbnLifKernelAttrs;
  const xv = read('x');
  const mean = read('mean');
  const invStd = read('invStd');
  const lambda = read('lambda');
  const residual = inputs.residual ? read('residual') : null;
  const v = neuronInput(xv, residual, c, mean, invStd, lambda, read('beta'), a.gain);
  const u = new Float32Array(v.length);
  const spikes = new Float32Array(v.length);
  lifForwardLoop(v, t, a.vth, a.tau, u, spikes);
  const derivative = resolveSurrogateAttr(a.surrogate);
  const vth32 = Math.fround(a.vth);
  const sg = new Float32Array(v.length);
  for (let i = 0; i < sg.length; i++) sg[i] = derivative(Math.fround((u[i] as number) - vth32));
  const dv = new Float32Array(v.length);
  lifBackwardLoop(read('dSpikes'), new Float32Array(v.length), u, spikes, sg, t, a.tau, a.detachReset, dv);
  const r = tdbnBackwardArrays(dv, xv, t * n, c, mean, invStd, lambda, a.gain, 1);
  const outs = [b.makeTensorInfo([t, n, c], 'float32', r.dx), b.makeTensorInfo([c], 'float32', r.dLambda), b.makeTensorInfo([c], 'float32', r.dBeta)];
  if (residual) outs.push(b.makeTensorInfo([t, n, c], 'float32', dv));
  return outs;
};

/** Registration records of the three fused tdBN+LIF kernels for a JS backend (default `cpu`). */
export function tdbnLifKernelConfigs(backendName = 'cpu'): KernelConfig[] {
  return [
    { kernelName: TDBN_LIF_KERNEL, backendName, kernelFunc: tdbnLifCpuKernel },
    { kernelName: TDBN_ADD_LIF_KERNEL, backendName, kernelFunc: tdbnAddLifCpuKernel },
    { kernelName: TDBN_LIF_GRAD_KERNEL, backendName, kernelFunc: tdbnLifGradCpuKernel },
  ];
}
