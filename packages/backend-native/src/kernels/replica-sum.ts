import { batchStatsSync, DeepSpikeError } from '@deepspike/core';

/**
 * The cross-replica sum the native tdBN kernels call between their sweeps (SyncBatchNorm), or
 * undefined for local statistics: core's installed {@link batchStatsSync} as the addon's trailing
 * `(buf: Float64Array) => void` argument.
 */
export function replicaSum(): ((buf: Float64Array) => void) | undefined {
  const sync = batchStatsSync();
  return sync ? (buf: Float64Array) => sync.allreduceSum(buf) : undefined;
}

/**
 * After a synchronised tdBN gradient kernel, whose parameter gradients are the global batch's sums:
 * zeros them on every replica but rank 0, so the trainer's gradient all-reduce restores them exactly.
 */
export function globalParamGradsOnRankZero(...grads: Float32Array[]): void {
  const sync = batchStatsSync();
  if (sync && sync.rank !== 0) for (const g of grads) g.fill(0);
}

/**
 * Refuses the cpu fallback of a tdBN kernel while batch statistics are synchronised: the JS kernel
 * would normalise with local statistics, so the replicas would silently diverge from one-process
 * training. Returns null (fall back) otherwise.
 */
export function noFallbackWhenSynced(kernelName: string, why: string): null {
  if (batchStatsSync()) {
    throw new DeepSpikeError(
      `deepspike-native ${kernelName}: synchronised batch statistics need the native kernel, got ${why}; ` +
        'expected float32 inputs of the documented ranks and a surrogate the native code knows (rect, sigmoid, atan, ...). ' +
        'Use a native surrogate, or train with local statistics (--no-sync-bn).',
    );
  }
  return null;
}
