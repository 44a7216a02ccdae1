/**
 * @deepspike/tdbn — threshold-dependent batch normalisation (tdBN) of STBP-tdBN, plain BN over T·N,
 * BNTT and TEBN, with running statistics, folding into conv/linear weights for inference, fused
 * `DeepSpikeTdBN` / `DeepSpikeTdBNGrad` kernels, and tdBN fused into the LIF it feeds. Sequences are `[T, N, H, W, C]` or `[T, N, C]`.
 * @packageDocumentation
 */
export { messages } from './messages.js';
export { tdbn } from './ops/tdbn.js';
export { tdbnWithStats, DEFAULT_EPSILON, type TdbnOptions, type TdbnResult, type TdbnImplementation } from './ops/tdbn-stats.js';
export { tdbnLifWithStats, tdbnLifPath, type FusedLifOptions, type TdbnLifResult, type TdbnLifPath } from './ops/tdbn-lif.js';
export { tdbnLifPoolWithStats, type TdbnLifPoolResult } from './ops/tdbn-lif-pool.js';
export { tdbnLifRepeatedWithStats } from './ops/tdbn-lif-repeated.js';
export { tdbnLifCustomGrad, type TdbnLifScalars } from './ops/tdbn-lif-custom-grad.js';
export { updateRunningStatistics } from './ops/running-stats.js';
export { ChannelNorm, type ChannelNormOptions, type FoldingFactors } from './layers/channel-norm.js';
export { TdBN, DEFAULT_TDBN_VTH, type TdBNOptions } from './layers/tdbn-layer.js';
export { BatchNorm, type BatchNormOptions } from './layers/batch-norm.js';
export { BatchNormThroughTime, type BatchNormThroughTimeOptions } from './layers/bntt.js';
export { TemporalEffectiveBN, type TemporalEffectiveBNOptions } from './layers/tebn.js';
export { MembranePotentialBN, type MembranePotentialBNOptions } from './layers/mpbn.js';
export { mpbnLif, mpbnFoldedThreshold, type MpbnNeuron, type MpbnParams, type MpbnLifResult } from './ops/mpbn-lif.js';
export {
  TDBN_KERNEL, TDBN_GRAD_KERNEL, TDBN_LIF_KERNEL, TDBN_ADD_LIF_KERNEL, TDBN_LIF_GRAD_KERNEL, TDBN_LIF_POOL_KERNEL, TDBN_LIF_POOL_GRAD_KERNEL, TDBN_LIF_POOL_SURROGATES,
  TDBN_LIF_REPEATED_KERNEL, TDBN_LIF_REPEATED_GRAD_KERNEL,
  type TdbnKernelAttrs, type TdbnGradKernelAttrs, type TdbnLifKernelAttrs, type TdbnLifPoolKernelAttrs, type TdbnLifRepeatedKernelAttrs,
} from './kernels/names.js';
export { registerTdbnKernels, hasFusedTdbn, hasFusedTdbnLif, hasFusedTdbnLifPool, hasFusedTdbnLifRepeated } from './kernels/register.js';
export {
  tdbnStatsArrays, tdbnForwardArrays, tdbnBackwardArrays, type TdbnStatsArrays, type TdbnForwardArrays, type TdbnBackwardArrays,
} from './kernels/cpu/tdbn-math.js';
export { tdbnLifCpuKernel, tdbnAddLifCpuKernel, tdbnLifGradCpuKernel, tdbnLifKernelConfigs } from './kernels/cpu/tdbn-lif-kernel.js';
export { tdbnCpuKernel, tdbnKernelConfig } from './kernels/cpu/tdbn-kernel.js';
export { tdbnGradCpuKernel, tdbnGradKernelConfig } from './kernels/cpu/tdbn-grad-kernel.js';
export { tdbnGradConfig } from './gradients/tdbn-grad.js';
export { tdbnLifGradConfig, tdbnAddLifGradConfig, tdbnLifPoolGradConfig, tdbnLifRepeatedGradConfig } from './gradients/tdbn-lif-grad.js';
export { normSchemas } from './schemas.js';
export { deepspikePlugin, normEntries } from './plugin.js';
export { fold, type FoldableNorm, type FoldedLayer } from './fold/fold.js';
export { foldToThreshold, type ThresholdFoldableNorm, type ThresholdFoldedLayer } from './fold/fold-to-threshold.js';
