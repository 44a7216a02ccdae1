import * as tf from '@tensorflow/tfjs-core';
import { tdbnGradConfig } from '../gradients/tdbn-grad.js';
import { tdbnKernelConfig } from './cpu/tdbn-kernel.js';
import { tdbnGradKernelConfig } from './cpu/tdbn-grad-kernel.js';
import { TDBN_GRAD_KERNEL, TDBN_KERNEL } from './names.js';

let registered = false;

/**
 * Registers the JS (typed-array) `DeepSpikeTdBN` / `DeepSpikeTdBNGrad` kernels for the `cpu`
 * backend and the gradient of `DeepSpikeTdBN` (backend independent). Idempotent; entries already
 * registered (e.g. by another copy of this package) are left alone. Called by `tdbn` on first use.
 */
export function registerTdbnKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [tdbnKernelConfig('cpu'), tdbnGradKernelConfig('cpu')]) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  if (tf.getGradient(TDBN_KERNEL) === undefined) tf.registerGradient(tdbnGradConfig);
}

/** Whether `backend` (default: the active one) has both fused tdBN kernels. */
export function hasFusedTdbn(backend: string = tf.getBackend()): boolean {
  registerTdbnKernels();
  return tf.getKernel(TDBN_KERNEL, backend) !== undefined && tf.getKernel(TDBN_GRAD_KERNEL, backend) !== undefined;
}
