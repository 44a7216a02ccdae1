/**
 * Cross-replica batch statistics (SyncBatchNorm semantics) for data-parallel training.
 *
 * A data-parallel trainer (`@deepspike/distributed` under MPI) installs one {@link BatchStatsSync}
 * for the duration of a training step; the norm kernels that support it (registered with
 * {@link declareBatchStatsSync}: deepspike-native's tdBN / tdBN+LIF kernels) then sum their
 * per-channel partial sums over every replica in the middle of the kernel, so each replica
 * normalises its shard with the statistics of the global batch, and the backward pass uses the
 * global sums of `dy` and `dy·x̂`. The norm's own parameter gradients (`dλ`, `dβ`) are then the global
 * batch's sums too, computed once in float64 and returned by rank 0 alone (the other replicas return
 * zeros), so the trainer's gradient all-reduce adds them back exactly, to the bit one process gets.
 * With no sync installed (the default) nothing changes.
 */
export interface BatchStatsSync {
  /** Replicas taking part (> 1 when installed by a distributed run). */
  readonly size: number;
  /** This replica's index in [0, size): rank 0 returns the norm parameters' global gradients. */
  readonly rank: number;
  /** Sums `buf` element-wise over every replica, in place (a blocking all-reduce; float64). */
  allreduceSum(buf: Float64Array): void;
}

let current: BatchStatsSync | null = null;
const capable = new Set<string>();

/** Installs (or, with null, removes) the cross-replica sum the norm kernels use. */
export function setBatchStatsSync(sync: BatchStatsSync | null): void {
  current = sync;
}

/** The installed cross-replica sum, or null for single-process (local) batch statistics. */
export function batchStatsSync(): BatchStatsSync | null {
  return current;
}

/** Declares that `backendName`'s norm kernels honour {@link batchStatsSync}. */
export function declareBatchStatsSync(backendName: string): void {
  capable.add(backendName);
}

/** Whether `backendName`'s norm kernels honour {@link batchStatsSync}. */
export function supportsBatchStatsSync(backendName: string): boolean {
  return capable.has(backendName);
}

/** The backends declared by {@link declareBatchStatsSync}, for messages. */
export function batchStatsSyncBackends(): string[] {
  return [...capable].sort();
}
