import * as tf from '@tensorflow/tfjs-core';
import { lifCpuConfig } from './cpu/lif.js';
import { lifGradCpuConfig } from './cpu/lif-grad.js';
import { surrogateGradCpuConfig } from './cpu/surrogate-grad.js';

let registered = false;

/**
 * Registers DeepSpike's fused kernels for the `cpu` backend (`DeepSpikeLIF`, `DeepSpikeLIFGrad`,
 * `DeepSpikeSurrogateGrad`). Idempotent; kernels another party registered first are left alone.
 * Called lazily by `lif` and `spike`.
 */
export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [lifCpuConfig, lifGradCpuConfig, surrogateGradCpuConfig]) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}

/** Whether every named kernel is registered for the active backend. */
export function backendHasKernels(...names: string[]): boolean {
  const backend = tf.getBackend();
  return names.every((n) => tf.getKernel(n, backend) !== undefined);
}
