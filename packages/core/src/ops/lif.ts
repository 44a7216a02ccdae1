import type { Tensor } from '@tensorflow/tfjs-core';
import { DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD } from '../kernels/names.js';
import { backendHasKernels, registerCpuKernels } from '../kernels/register.js';
import { lifComposite } from './lif-composite.js';
import { lifCustomGrad } from './lif-custom-grad.js';
import { lifFused } from './lif-fused.js';
import type { LIFPassOptions } from './lif-custom-grad.js';
import { checkLifInput, checkNeuronScalars, type LIFImplementation, type LIFOptions } from './lif-options.js';

export type { LIFImplementation, LIFOptions } from './lif-options.js';

/**
 * The STBP leaky integrate-and-fire neuron over a whole sequence (Zheng et al. 2021, eq. 1-2):
 * `u[t] = tau*u[t-1]*(1 - o[t-1]) + x[t]`, `o[t] = H(u[t] - vth)`, `u[-1] = o[-1] = 0`, hard reset
 * to 0. Differentiable with respect to x through time; the backward pass uses
 * `do/du = surrogate.derivative(u - vth)`, `du[t]/du[t-1] = tau*(1 - o[t-1])` and, unless
 * `detachReset`, `du[t]/do[t-1] = -tau*u[t-1]`.
 *
 * Uses the fused kernels `DeepSpikeLIF` / `DeepSpikeLIFGrad` when the active backend has them (cpu and
 * wasm: JS loops registered by core; deepspike-native: C++); otherwise (tensorflow, webgl, webgpu)
 * one custom gradient over tf.js ops with the same reverse pass (`lif-custom-grad.ts`).
 *
 * @param x [T, ...] float32 input currents, time first (e.g. [T, N, H, W, C])
 * @returns `spikes` (0/1 float32) and `u` (the pre-reset potential compared to vth), both x's shape
 * @throws InvalidArgumentError for rank < 2, non-float32 x, vth <= 0, tau outside [0, 1), or a surrogate that is not a Surrogate
 */
export function lif(x: Tensor, opts: LIFOptions): { spikes: Tensor; u: Tensor } {
  checkLifInput('lif', x);
  checkNeuronScalars('lif', opts?.vth, opts?.tau, opts?.surrogate);
  const resolved = { vth: opts.vth, tau: opts.tau, surrogate: opts.surrogate, detachReset: opts.detachReset ?? false };
  return runLif(x, resolved, opts.implementation ?? 'auto');
}

/**
 * Runs checked LIF options through the chosen implementation (what `lif` and the IF neuron, whose
 * tau of 1 `lif` refuses, share).
 */
export function runLif(x: Tensor, resolved: LIFPassOptions, impl: LIFImplementation): { spikes: Tensor; u: Tensor } {
  registerCpuKernels();
  if (impl === 'composite') return lifComposite(x, resolved);
  if (impl === 'custom-gradient') return lifCustomGrad(x, resolved);
  const useFused = impl === 'fused' || backendHasKernels(DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD);
  return useFused ? lifFused(x, resolved) : lifCustomGrad(x, resolved);
}
