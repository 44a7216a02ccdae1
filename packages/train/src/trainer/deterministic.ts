import { DEFAULT_GRANULE, DeepSpikeError, granuleComposes } from '@deepspike/core';
import { shardRange } from '@deepspike/datasets';
import { messages } from '../messages.js';
import type { DataParallel } from './data-parallel.js';

/** {@link TrainOptions.deterministic}: on (blocks of 8 samples), or the samples per block. */
export type DeterministicOption = boolean | { readonly granule: number };

/**
 * The block size of the run's deterministic reductions, or null when they are off. Data-parallel,
 * every rank's shard of a full global batch must be a power-of-two run of blocks, so the ranks'
 * subtrees compose into the tree one process adds (see core's `setDeterministicReduction`).
 * @throws DeepSpikeError on a bad option, or a batch the ranks cannot split into whole subtrees
 */
export function resolveDeterministic(option: DeterministicOption | undefined, batchSize: number, dp: Pick<DataParallel, 'size'> | null): number | null {
  if (option === undefined || option === false) return null;
  const granule = option === true ? DEFAULT_GRANULE : option.granule;
  if (!(Number.isInteger(granule) && granule >= 1)) throw new DeepSpikeError(messages.trainOption('deterministic.granule', granule, 'an integer >= 1 (samples per block)'));
  if (dp) {
    for (let r = 0; r < dp.size; r++) {
      const { start, end } = shardRange(batchSize, r, dp.size, 'train');
      if (!granuleComposes(end - start, granule)) throw new DeepSpikeError(messages.deterministicSplit(batchSize, dp.size, granule, r, end - start));
    }
  }
  return granule;
}
