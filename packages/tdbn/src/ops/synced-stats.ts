import * as tf from '@tensorflow/tfjs-core';
import { batchStatsSync, batchStatsSyncBackends, DeepSpikeError, supportsBatchStatsSync } from '@deepspike/core';

/**
 * Values behind each statistic of a training batch: `n` of this process, or, with synchronised
 * batch statistics (core's `batchStatsSync`, SyncBatchNorm), the sum of every replica's `n` (one
 * small all-reduce), so the running variance's unbiased correction `n/(n - 1)` is the global batch's.
 */
export function globalValueCount(n: number): number {
  const sync = batchStatsSync();
  if (!sync) return n;
  const buf = new Float64Array([n]);
  sync.allreduceSum(buf);
  return buf[0] as number;
}

/**
 * Refuses to normalise with local statistics while they are meant to be synchronised: `fused` says
 * whether this call runs a DeepSpike tdBN kernel; the active backend must also honour the sync.
 * @throws DeepSpikeError naming the backends that can
 */
export function requireSyncablePath(where: string, fused: boolean): void {
  if (!batchStatsSync()) return;
  const backend = tf.getBackend();
  if (fused && supportsBatchStatsSync(backend)) return;
  throw new DeepSpikeError(
    `${where}: synchronised batch statistics (SyncBatchNorm across ranks) need a backend whose tdBN kernels all-reduce them, ` +
      `got ${fused ? `backend ${backend}` : "the composite tf.js path (implementation 'composite' or 'custom-gradient', or a backend without the fused kernels)"}; ` +
      `expected ${batchStatsSyncBackends().join(', ') || 'deepspike-native'} with implementation 'auto'. ` +
      'Train with --backend deepspike-native, or with per-rank statistics (--no-sync-bn).',
  );
}
