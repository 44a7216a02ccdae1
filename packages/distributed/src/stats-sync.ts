import { setBatchStatsSync } from '@deepspike/core';
import type { Communicator } from './communicator.js';

/**
 * SyncBatchNorm for the whole process: installs core's `BatchStatsSync` over `comm`, so every tdBN /
 * BN / BNTT kernel that honours it (deepspike-native) normalises with the statistics of the global
 * batch and back-propagates through the global sums. Returns the function that removes it.
 */
export function syncBatchStatistics(comm: Communicator): () => void {
  setBatchStatsSync({ size: comm.size, rank: comm.rank, allreduceSum: (buf) => comm.allreduce(buf, 'sum') });
  return () => setBatchStatsSync(null);
}
