import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { TDBN_ADD_LIF_KERNEL, TDBN_LIF_GRAD_KERNEL, TDBN_LIF_KERNEL, TDBN_LIF_POOL_GRAD_KERNEL, TDBN_LIF_POOL_KERNEL, TDBN_LIF_REPEATED_GRAD_KERNEL, TDBN_LIF_REPEATED_KERNEL } from '../kernels/names.js';

/**
 * Gradient of a fused tdBN+LIF kernel: runs `DeepSpikeTdBNLIFGrad` on the active backend. As for
 * `DeepSpikeTdBN`, only the spikes' gradient is propagated; `mean` and `invStd` feed running
 * statistics and are constants here.
 */
function gradConfig(kernelName: string, withResidual: boolean): GradConfig {
  return {
    kernelName,
    inputsToSave: withResidual ? ['x', 'lambda', 'beta', 'residual'] : ['x', 'lambda', 'beta'],
    outputsToSave: [false, true, true],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const [x, lambda, beta] = saved as [Tensor, Tensor, Tensor];
      const residual = withResidual ? (saved[3] as Tensor) : null;
      const [mean, invStd] = saved.slice(withResidual ? 4 : 3) as [Tensor, Tensor];
      const dSpikes = (Array.isArray(dy) ? dy[0] : dy) ?? tf.zerosLike(x);
      const inputs: NamedTensorMap = { dSpikes, x, mean, invStd, lambda, beta };
      if (residual) inputs.residual = residual;
      const [dx, dLambda, dBeta, dResidual] = tf.engine().runKernel(TDBN_LIF_GRAD_KERNEL, inputs, attrs) as Tensor[];
      const grads: Record<string, () => Tensor> = { x: () => dx as Tensor, lambda: () => dLambda as Tensor, beta: () => dBeta as Tensor };
      if (residual) grads.residual = () => dResidual as Tensor;
      return grads;
    },
  };
}

/** Gradient of `DeepSpikeTdBNLIF`. */
export const tdbnLifGradConfig: GradConfig = gradConfig(TDBN_LIF_KERNEL, false);
/** Gradient of `DeepSpikeTdBNAddLIF`. */
export const tdbnAddLifGradConfig: GradConfig = gradConfig(TDBN_ADD_LIF_KERNEL, true);

/** Gradient of `DeepSpikeTdBNLIFAvgPool`: runs `DeepSpikeTdBNLIFAvgPoolGrad` from the pooled spikes' gradient. */
export const tdbnLifPoolGradConfig: GradConfig = {
  kernelName: TDBN_LIF_POOL_KERNEL,
  inputsToSave: ['x', 'lambda', 'beta'],
  outputsToSave: [false, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, lambda, beta, mean, invStd] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const k = attrs.poolSize as number;
    const [t, n, h, w, c] = x.shape as number[];
    const dPooled = (Array.isArray(dy) ? dy[0] : dy) ?? tf.zeros([t!, n!, h! / k, w! / k, c!]);
    const [dx, dLambda, dBeta] = tf.engine().runKernel(TDBN_LIF_POOL_GRAD_KERNEL, { dPooled, x, mean, invStd, lambda, beta }, attrs) as Tensor[];
    return { x: () => dx as Tensor, lambda: () => dLambda as Tensor, beta: () => dBeta as Tensor };
  },
};

/** Gradient of `DeepSpikeTdBNLIFRepeated`: runs `DeepSpikeTdBNLIFRepeatedGrad` (dx has x's one-step shape). */
export const tdbnLifRepeatedGradConfig: GradConfig = {
  kernelName: TDBN_LIF_REPEATED_KERNEL,
  inputsToSave: ['x', 'lambda', 'beta'],
  outputsToSave: [false, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, lambda, beta, mean, invStd] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const t = attrs.timesteps as number;
    const k = attrs.poolSize as number;
    const shape = k > 0 ? [t, x.shape[0] as number, (x.shape[1] as number) / k, (x.shape[2] as number) / k, x.shape[3] as number] : [t, ...x.shape];
    const dSpikes = (Array.isArray(dy) ? dy[0] : dy) ?? tf.zeros(shape);
    const [dx, dLambda, dBeta] = tf.engine().runKernel(TDBN_LIF_REPEATED_GRAD_KERNEL, { dSpikes, x, mean, invStd, lambda, beta }, attrs) as Tensor[];
    return { x: () => dx as Tensor, lambda: () => dLambda as Tensor, beta: () => dBeta as Tensor };
  },
};
