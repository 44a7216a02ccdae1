/**
 * @deepspike/backend-native — DeepSpike's native CPU backend: a Node-API C++ addon (cache-blocked
 * GEMM with run-time SIMD dispatch AVX-512/AVX2+FMA/SSE2/NEON/scalar, a thread pool sized to the
 * cores, fused LIF and tdBN kernels) registered as the tf.js backend `deepspike-native` on top of
 * the cpu backend. `@deepspike/core`'s `initBackend` calls {@link registerNativeBackend}.
 *
 * Environment: `DEEPSPIKE_THREADS` (pool size, default the cores), `DEEPSPIKE_NATIVE_SIMD`
 * (`auto`, `off` = portable scalar, `128`, `avx2`, `avx512`), `DEEPSPIKE_SPIKE_DENSITY` (spike path),
 * `DEEPSPIKE_WINOGRAD=0` (3x3 stride-1 convolutions without Winograd).
 * @packageDocumentation
 */
export { registerNativeBackend, syncCpuKernels, NATIVE_KERNELS } from './backend.js';
export { NativeBackend, cacheLineAligner } from './native-backend.js';
export { BufferPool, ALIGNED_MIN_LENGTH, type Aligner } from './buffer-pool.js';
export { loadAddon, nativeAvailable, ADDON_PATH, type NativeAddon, type ConvAlgo } from './addon.js';
export { measureFmaPeak, measureMemoryBandwidth, nativeInfo, setNativeSimd, setNativeThreads, setNativeWinograd, type FmaPeak, type MemoryBandwidth, type NativeInfo } from './settings.js';
export { spikeDensityThreshold, setSpikeDensityThreshold, DEFAULT_SPIKE_DENSITY, type SpikePathKind } from './config.js';
export { mayBeSparseSpikes, sampledSpikeDensity, spikePathCounts, traceConvPaths, type ConvPathRecord } from './kernels/spike-path.js';
export { NATIVE_BACKEND } from './kernels/util.js';
export { setConvSpikeScanForAllSizes } from './kernels/conv.js';
export { nativeEventKernels, type NativeEventKernels, type NativeEventPlan, type NativeEventPlanRunner } from './event-kernels.js';
export { messages } from './messages.js';
