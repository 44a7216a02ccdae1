import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { TDBN_GRAD_KERNEL, TDBN_KERNEL, type TdbnGradKernelAttrs } from '../kernels/names.js';

/**
 * Gradient of the fused `DeepSpikeTdBN` kernel: runs `DeepSpikeTdBNGrad` on the active backend.
 * Only the gradient of `y` is propagated; the `mean` and `invStd` outputs are treated as constants
 * (the layers use them for running statistics only, never in a loss).
 */
export const tdbnGradConfig: GradConfig = {
  kernelName: TDBN_KERNEL,
  inputsToSave: ['x', 'lambda'],
  outputsToSave: [false, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, lambda, mean, invStd] = saved as [Tensor, Tensor, Tensor, Tensor];
    const dyY = Array.isArray(dy) ? (dy[0] as Tensor) : dy;
    const { alpha, vth } = attrs as unknown as TdbnGradKernelAttrs;
    const gradAttrs: TdbnGradKernelAttrs = { alpha, vth };
    const [dx, dLambda, dBeta] = tf.engine().runKernel(
      TDBN_GRAD_KERNEL,
      { dy: dyY, x, mean, invStd, lambda },
      gradAttrs as unknown as NamedAttrMap,
    ) as Tensor[];
    return { x: () => dx as Tensor, lambda: () => dLambda as Tensor, beta: () => dBeta as Tensor };
  },
};
