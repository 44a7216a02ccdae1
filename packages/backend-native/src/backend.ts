import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { declareBatchStatsSync } from '@deepspike/core';
import { NativeBackend } from './native-backend.js';
import { usePooledZeroGradients } from './zero-gradients.js';
import { loadAddon } from './addon.js';
import { messages } from './messages.js';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, conv2DConfig } from './kernels/conv.js';
import { eltwiseConfigs } from './kernels/eltwise.js';
import { batchMatMulConfig, fusedMatMulConfig } from './kernels/matmul.js';
import { avgPoolConfig, avgPoolGradConfig, maxPoolConfig, maxPoolGradConfig } from './kernels/pool.js';
import { lifConfig, lifGradConfig, lifGradSurrogateConfig, surrogateGradConfig } from './kernels/spiking.js';
import { tdbnConfig, tdbnGradConfig } from './kernels/tdbn.js';
import { tdbnAddLifConfig, tdbnLifConfig, tdbnLifGradConfig, tdbnLifPoolConfig, tdbnLifPoolGradConfig, tdbnLifRepeatedConfig, tdbnLifRepeatedGradConfig } from './kernels/tdbn-lif.js';
import { castConfig } from './kernels/cast.js';
import { sliceConfig } from './kernels/slice.js';
import { tileConfig } from './kernels/tile.js';
import { NATIVE_BACKEND } from './kernels/util.js';

/** The kernels implemented natively (the rest are the cpu backend's). */
export const NATIVE_KERNELS: readonly KernelConfig[] = [
  conv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  lifConfig,
  lifGradConfig,
  lifGradSurrogateConfig,
  surrogateGradConfig,
  tdbnConfig,
  tdbnGradConfig,
  tdbnLifConfig,
  tdbnAddLifConfig,
  tdbnLifGradConfig,
  tdbnLifPoolConfig,
  tdbnLifPoolGradConfig,
  tdbnLifRepeatedConfig,
  tdbnLifRepeatedGradConfig,
  tileConfig,
  sliceConfig,
  castConfig,
  ...eltwiseConfigs,
];

let registered = false;

/** Registers, for `deepspike-native`, every cpu kernel not implemented natively (also ones registered after start-up). */
export function syncCpuKernels(): number {
  const own = new Set(NATIVE_KERNELS.map((k) => k.kernelName));
  let added = 0;
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (own.has(k.kernelName) || tf.getKernel(k.kernelName, NATIVE_BACKEND)) continue;
    tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
    added++;
  }
  return added;
}

/**
 * Loads the addon and registers the tf.js backend `deepspike-native` (priority 3, above cpu and
 * wasm) with every cpu kernel plus the native ones. Idempotent. Does not activate it:
 * `tf.setBackend('deepspike-native')` or `initBackend()` of @deepspike/core does.
 * @throws Error with the reason when the addon is not built or does not load
 */
export function registerNativeBackend(): void {
  loadAddon();
  if (registered) {
    syncCpuKernels();
    return;
  }
  if (tf.getKernelsForBackend('cpu').length === 0) throw new Error(messages.cpuBackendMissing());
  if (!tf.findBackendFactory(NATIVE_BACKEND)) tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(), 3);
  for (const k of NATIVE_KERNELS) {
    if (!tf.getKernel(k.kernelName, NATIVE_BACKEND)) tf.registerKernel(k);
  }
  syncCpuKernels();
  usePooledZeroGradients();
  // The native tdBN kernels sum their statistics over replicas when a BatchStatsSync is installed.
  declareBatchStatsSync(NATIVE_BACKEND);
  registered = true;
}
