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

/**
 * Gradient of a fused kernel without a residual whose gradient kernel takes the output's gradient
 * under the name `dyName` (zeros of `outShape(x, attrs)` when none flows back) with x, the saved
 * statistics, lambda and beta, and gives `[dx, dLambda, dBeta]`.
 */
function plainGradConfig(kernelName: string, gradKernel: string, dyName: string, outShape: (x: Tensor, attrs: NamedAttrMap) => number[]): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x', 'lambda', 'beta'],
    outputsToSave: [false, true, true],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const [x, lambda, beta, mean, invStd] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
      const dOut = (Array.isArray(dy) ? dy[0] : dy) ?? tf.zeros(outShape(x, attrs));
      const [dx, dLambda, dBeta] = tf.engine().runKernel(gradKernel, { [dyName]: dOut, x, mean, invStd, lambda, beta }, attrs) as Tensor[];
      return { x: () => dx as Tensor, lambda: () => dLambda as Tensor, beta: () => dBeta as Tensor };
    },
  };
}

/** [T, N, H/k, W/k, C] for x [T, N, H, W, C] or, with `steps` T, x [N, H, W, C]. */
function pooledShape(image: number[], k: number, steps: number): number[] {
  const [n, h, w, c] = image as [number, number, number, number];
  return [steps, n, h / k, w / k, c];
}

/** Gradient of `DeepSpikeTdBNLIFAvgPool`: runs `DeepSpikeTdBNLIFAvgPoolGrad` from the pooled spikes' gradient. */
export const tdbnLifPoolGradConfig: GradConfig = plainGradConfig(TDBN_LIF_POOL_KERNEL, TDBN_LIF_POOL_GRAD_KERNEL, 'dPooled', (x, attrs) =>
  pooledShape(x.shape.slice(1), attrs.poolSize as number, x.shape[0] as number),
);

/** Gradient of `DeepSpikeTdBNLIFRepeated`: runs `DeepSpikeTdBNLIFRepeatedGrad` (dx has x's one-step shape). */
export const tdbnLifRepeatedGradConfig: GradConfig = plainGradConfig(TDBN_LIF_REPEATED_KERNEL, TDBN_LIF_REPEATED_GRAD_KERNEL, 'dSpikes', (x, attrs) => {
  const t = attrs.timesteps as number;
  const k = attrs.poolSize as number;
  return k > 0 ? pooledShape(x.shape, k, t) : [t, ...x.shape];
});
