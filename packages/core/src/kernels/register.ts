import * as tf from '@tensorflow/tfjs-core';
import { lifCpuConfig } from './cpu/lif.js';
import { lifGradCpuConfig } from './cpu/lif-grad.js';
import { surrogateGradCpuConfig } from './cpu/surrogate-grad.js';
import { lifGradWasmConfig, lifWasmConfig } from './wasm/lif.js';
import { surrogateGradWasmConfig } from './wasm/surrogate-grad.js';

let registered = false;

/**
 * Registers DeepSpike's fused kernels (`DeepSpikeLIF`, `DeepSpikeLIFGrad`, `DeepSpikeSurrogateGrad`)
 * for the JS-driven backends `cpu` (typed arrays) and `wasm` (the same loops on views of the wasm
 * heap). Idempotent; kernels another party registered first are left alone. Called lazily by `lif`
 * and `spike`.
 */
export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [lifCpuConfig, lifGradCpuConfig, surrogateGradCpuConfig, lifWasmConfig, lifGradWasmConfig, surrogateGradWasmConfig]) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}

/** Whether every named kernel is registered for the active backend. */
export function backendHasKernels(...names: string[]): boolean {
  const backend = tf.getBackend();
  return names.every((n) => tf.getKernel(n, backend) !== undefined);
}
