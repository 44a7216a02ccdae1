import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import {
  DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, DEEPSPIKE_LIF_GRAD_SURROGATE, type LIFAttrs, type LIFGradAttrs, type LIFGradSurrogateAttrs,
} from '../kernels/names.js';
import { backendHasKernels } from '../kernels/register.js';
import { declareAbsentGradientsAccepted } from '../kernels/absent-gradients.js';
import { surrogateGrad } from '../ops/surrogate-grad.js';

/**
 * The gradient of `DeepSpikeLIF` (backend independent): the active backend's fused
 * `DeepSpikeLIFGradSurrogate` when it has one, else `sg = g'(u - vth)` then its `DeepSpikeLIFGrad`
 * (one reverse pass over T of `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`).
 */
export const lifGradConfig: GradConfig = {
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
};

let registered = false;

/** Registers {@link lifGradConfig} with tf.js unless a gradient of `DeepSpikeLIF` already is. Idempotent. */
export function registerLIFGradient(): void {
  if (registered) return;
  registered = true;
  if (tf.getGradient(DEEPSPIKE_LIF)) return;
  declareAbsentGradientsAccepted(DEEPSPIKE_LIF);
  tf.registerGradient(lifGradConfig);
}
