import * as tf from '@tensorflow/tfjs-core';
import { tdbnGradConfig } from '../gradients/tdbn-grad.js';
import { tdbnKernelConfig } from './cpu/tdbn-kernel.js';
import { tdbnGradKernelConfig } from './cpu/tdbn-grad-kernel.js';
import { tdbnAddLifGradConfig, tdbnLifGradConfig, tdbnLifPoolGradConfig, tdbnLifRepeatedGradConfig } from '../gradients/tdbn-lif-grad.js';
import { tdbnLifKernelConfigs } from './cpu/tdbn-lif-kernel.js';
import { TDBN_ADD_LIF_KERNEL, TDBN_GRAD_KERNEL, TDBN_KERNEL, TDBN_LIF_GRAD_KERNEL, TDBN_LIF_KERNEL, TDBN_LIF_POOL_GRAD_KERNEL, TDBN_LIF_POOL_KERNEL, TDBN_LIF_REPEATED_GRAD_KERNEL, TDBN_LIF_REPEATED_KERNEL } from './names.js';

let registered = false;

/**
 * Registers the JS (typed-array) `DeepSpikeTdBN` / `DeepSpikeTdBNGrad` and fused tdBN+LIF kernels
 * for the `cpu` backend and the gradients of `DeepSpikeTdBN`, `DeepSpikeTdBNLIF`,
 * `DeepSpikeTdBNAddLIF`, `DeepSpikeTdBNLIFAvgPool` and `DeepSpikeTdBNLIFRepeated` (backend independent). Idempotent; entries already
 * registered (e.g. by another copy of this package) are left alone. Called by `tdbn` on first use.
 */
export function registerTdbnKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [tdbnKernelConfig('cpu'), tdbnGradKernelConfig('cpu'), ...tdbnLifKernelConfigs('cpu')]) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  for (const config of [tdbnGradConfig, tdbnLifGradConfig, tdbnAddLifGradConfig, tdbnLifPoolGradConfig, tdbnLifRepeatedGradConfig]) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
  }
}

/** Whether `backend` (default: the active one) has both fused tdBN kernels. */
export function hasFusedTdbn(backend: string = tf.getBackend()): boolean {
  registerTdbnKernels();
  return tf.getKernel(TDBN_KERNEL, backend) !== undefined && tf.getKernel(TDBN_GRAD_KERNEL, backend) !== undefined;
}

/** Whether `backend` (default: the active one) has the three fused tdBN+LIF kernels. */
export function hasFusedTdbnLif(backend: string = tf.getBackend()): boolean {
  registerTdbnKernels();
  return [TDBN_LIF_KERNEL, TDBN_ADD_LIF_KERNEL, TDBN_LIF_GRAD_KERNEL].every((k) => tf.getKernel(k, backend) !== undefined);
}

/** Whether `backend` (default: the active one) has the tdBN+LIF+average-pool kernel and its gradient. */
export function hasFusedTdbnLifPool(backend: string = tf.getBackend()): boolean {
  registerTdbnKernels();
  return [TDBN_LIF_POOL_KERNEL, TDBN_LIF_POOL_GRAD_KERNEL].every((k) => tf.getKernel(k, backend) !== undefined);
}

/** Whether `backend` (default: the active one) has the repeated-input tdBN+LIF kernel and its gradient. */
export function hasFusedTdbnLifRepeated(backend: string = tf.getBackend()): boolean {
  registerTdbnKernels();
  return [TDBN_LIF_REPEATED_KERNEL, TDBN_LIF_REPEATED_GRAD_KERNEL].every((k) => tf.getKernel(k, backend) !== undefined);
}
