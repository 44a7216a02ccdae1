import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../messages.js';

/** The samples `[start, end)` of one global batch that a data-parallel rank takes. */
export interface ShardRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The rule for sharing a global batch of `count` samples among `size` ranks: rank r takes the
 * contiguous samples `[floor(r·count/size), floor((r+1)·count/size))`, so the shards are disjoint,
 * cover the batch in its order, and differ in size by at most one when `size` does not divide
 * `count` (count 10, size 4: 2, 3, 2, 3). The trainer weights each rank's mean loss by its share
 * (`n_r/count`), so the summed gradient is that of the global batch's mean loss whatever the split.
 * @throws DeepSpikeError when a rank would get no sample (`count < size`) or the rank is out of range
 */
export function shardRange(count: number, rank: number, size: number, where = 'shardRange'): ShardRange {
  if (!(Number.isInteger(size) && size >= 1 && Number.isInteger(rank) && rank >= 0 && rank < size)) {
    throw new DeepSpikeError(messages.badOption(where, 'shard', `rank ${rank} of ${size}`, 'an integer size >= 1 and 0 <= rank < size'));
  }
  if (count < size) {
    throw new DeepSpikeError(messages.shardTooSmall(where, count, size));
  }
  return { start: Math.floor((rank * count) / size), end: Math.floor(((rank + 1) * count) / size) };
}
