import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import {
  DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, DEEPSPIKE_LIF_GRAD_SURROGATE, type LIFAttrs, type LIFGradAttrs, type LIFGradSurrogateAttrs,
} from '../kernels/names.js';
import { backendHasKernels } from '../kernels/register.js';
import { declareAbsentGradientsAccepted } from '../kernels/absent-gradients.js';
import { surrogateGrad } from './surrogate-grad.js';

let gradientRegistered = false;

/**
 * Registers the gradient of `DeepSpikeLIF` (backend independent): the active backend's fused
 * `DeepSpikeLIFGradSurrogate` when it has one, else `sg = g'(u - vth)` then its `DeepSpikeLIFGrad`.
 * Idempotent.
 */
export function registerLIFGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  if (tf.getGradient(DEEPSPIKE_LIF)) return;
  declareAbsentGradientsAccepted(DEEPSPIKE_LIF);
  tf.registerGradient({
    kernelName: DEEPSPIKE_LIF,
    outputsToSave: [true, true],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: tf.NamedAttrMap) => {
      // An upstream gradient may be null (no gradient reached that output; see absent-gradients.ts).
      const [dSpikes, dU] = dys as Array<Tensor | null>;
      const [spikes, u] = saved as [Tensor, Tensor];
      const a = attrs as unknown as LIFAttrs;
      return {
        x: () => {
          if (backendHasKernels(DEEPSPIKE_LIF_GRAD_SURROGATE)) {
            const fusedAttrs: LIFGradSurrogateAttrs = {
              tau: a.tau, detachReset: a.detachReset ?? false, vth: a.vth, surrogate: a.surrogate as Surrogate,
            };
            // The fused kernel treats an absent dSpikes / dU as zeros.
            const inputs: tf.NamedTensorMap = { u, spikes };
            if (dSpikes) inputs.dSpikes = dSpikes;
            if (dU) inputs.dU = dU;
            return tf.engine().runKernel(DEEPSPIKE_LIF_GRAD_SURROGATE, inputs, fusedAttrs as unknown as tf.NamedAttrMap) as Tensor;
          }
          const sg = surrogateGrad(tf.sub(u, a.vth), a.surrogate as Surrogate);
          const gradAttrs: LIFGradAttrs = { tau: a.tau, detachReset: a.detachReset ?? false };
          return tf.engine().runKernel(DEEPSPIKE_LIF_GRAD, {
            dSpikes: dSpikes ?? tf.zerosLike(u), dU: dU ?? tf.zerosLike(u), u, spikes, sg,
          }, gradAttrs as unknown as tf.NamedAttrMap) as Tensor;
        },
      };
    },
  });
}

/**
 * LIF over T through the `DeepSpikeLIF` kernel (one pass over T) and, for gradients,
 * `DeepSpikeLIFGrad` (one reverse pass). The caller checks that the backend has both.
 * @param x [T, ...] float32 currents
 */
export function lifFused(x: Tensor, opts: { vth: number; tau: number; surrogate: Surrogate; detachReset: boolean }): { spikes: Tensor; u: Tensor } {
  registerLIFGradient();
  const attrs: LIFAttrs = { vth: opts.vth, tau: opts.tau, surrogate: opts.surrogate, detachReset: opts.detachReset };
  const [spikes, u] = tf.engine().runKernel(DEEPSPIKE_LIF, { x }, attrs as unknown as tf.NamedAttrMap) as Tensor[];
  return { spikes: spikes as Tensor, u: u as Tensor };
}
