import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { DeepSpikeError } from '@deepspike/core';
import { syncBatchStatistics, type Communicator } from '@deepspike/distributed';
import { messages } from '../messages.js';

/** Options of data-parallel training ({@link TrainOptions.distributed}). */
export interface DistributedOptions {
  /** The job's communicator (`initMpi()` of @deepspike/distributed); `size` ranks run this same `train()`. */
  readonly comm: Communicator;
  /**
   * Synchronised batch statistics (SyncBatchNorm semantics, default true): tdBN/BN/BNTT normalise
   * each shard with the mean and variance of the global batch, so N ranks compute what one process
   * computes on the whole batch. False: each rank normalises with its own shard's statistics
   * (PyTorch DDP without SyncBatchNorm; running statistics then stay rank 0's).
   */
  readonly syncBatchStats?: boolean;
  /** Compare a checksum of the weights across ranks every this many steps (default 50; 0 = never). */
  readonly checkEvery?: number;
  /**
   * Benchmarks: a barrier before each gradient all-reduce, timed apart (`gradStats.waitSeconds`), so
   * the all-reduce time is the transfer and the barrier time the ranks' imbalance. Default false.
   */
  readonly timeImbalance?: boolean;
}

/** Extra values carried at the end of the step's fused gradient buffer. */
const EXTRA = 4;

/**
 * A rank's part in data-parallel training: one fused all-reduce of every gradient per step (with
 * the step's loss, correct count, samples and a non-finite flag in the same buffer), the weights
 * broadcast from rank 0 at start, the cross-rank weight checksum, and the scalars/strings rank 0
 * decides (the run folder).
 */
export class DataParallel {
  readonly rank: number;
  readonly size: number;
  readonly syncBatchStats: boolean;
  readonly checkEvery: number;
  /** Seconds and bytes of this rank's gradient all-reduces (for `bench distributed`). */
  readonly gradStats = { calls: 0, bytes: 0, seconds: 0, waitSeconds: 0 };
  private readonly timeImbalance: boolean;
  private unsync: (() => void) | null = null;
  private buffer: Float32Array = new Float32Array(0);

  constructor(readonly comm: Communicator, options: DistributedOptions) {
    this.rank = comm.rank;
    this.size = comm.size;
    this.syncBatchStats = options.syncBatchStats ?? true;
    const k = options.checkEvery ?? 50;
    if (!(Number.isInteger(k) && k >= 0)) throw new DeepSpikeError(messages.trainOption('distributed.checkEvery', k, 'an integer >= 0 (0 turns the check off)'));
    this.checkEvery = k;
    this.timeImbalance = options.timeImbalance ?? false;
  }

  /** Whether this rank writes checkpoints, metrics.jsonl and report.html (rank 0). */
  get writes(): boolean {
    return this.rank === 0;
  }

  /** Starts SyncBatchNorm for the session (when on); {@link close} stops it. */
  open(): void {
    if (this.syncBatchStats && this.size > 1) this.unsync = syncBatchStatistics(this.comm);
  }

  close(): void {
    this.unsync?.();
    this.unsync = null;
  }

  /** Rank 0's string on every rank (e.g. the run folder, whose default name is a timestamp). */
  shareString(value: string): string {
    const bytes = new TextEncoder().encode(value);
    const len = new Float64Array([bytes.length]);
    this.comm.bcast(len, 0);
    const buf = new Uint8Array(len[0] as number);
    if (this.rank === 0) buf.set(bytes);
    this.comm.bcast(buf, 0);
    return new TextDecoder().decode(buf);
  }

  /** Overwrites every parameter and buffer with rank 0's (what DDP does at construction). */
  broadcastParameters(params: Map<string, Variable>): void {
    const names = [...params.keys()].sort();
    let total = 0;
    for (const n of names) total += params.get(n)!.size;
    const flat = new Float32Array(total);
    let off = 0;
    for (const n of names) {
      const v = params.get(n)!;
      flat.set(v.dataSync() as Float32Array, off);
      off += v.size;
    }
    this.comm.bcast(flat, 0);
    off = 0;
    for (const n of names) {
      const v = params.get(n)!;
      const t = tf.tensor(flat.subarray(off, off + v.size), v.shape, 'float32');
      v.assign(t);
      t.dispose();
      off += v.size;
    }
  }

  /**
   * Sums the gradients over every rank in one fused float32 all-reduce (each rank's loss is already
   * weighted by its share of the global batch, so the sum is the global mean loss's gradient), with
   * `[loss, correct, samples, nonFinite]` of this rank appended.
   * @param order the parameter names in a fixed order (the same on every rank)
   * @returns the summed gradients (new tensors; the caller disposes both maps) and the summed extras
   */
  allreduceGradients(grads: Map<string, Tensor>, order: readonly string[], extras: readonly [number, number, number, number]): { grads: Map<string, Tensor>; extras: Float32Array } {
    let total = EXTRA;
    for (const n of order) total += grads.get(n)!.size;
    if (this.buffer.length !== total) this.buffer = new Float32Array(total);
    const flat = this.buffer;
    let off = 0;
    for (const n of order) {
      const g = grads.get(n)!;
      flat.set(g.dataSync() as Float32Array, off);
      off += g.size;
    }
    flat.set(extras, off);
    if (this.timeImbalance) {
      const w0 = performance.now();
      this.comm.barrier();
      this.gradStats.waitSeconds += (performance.now() - w0) / 1000;
    }
    const t0 = performance.now();
    this.comm.allreduce(flat, 'sum');
    this.gradStats.seconds += (performance.now() - t0) / 1000;
    this.gradStats.calls++;
    this.gradStats.bytes += flat.byteLength;
    const out = new Map<string, Tensor>();
    off = 0;
    for (const n of order) {
      const g = grads.get(n)!;
      out.set(n, tf.tensor(flat.slice(off, off + g.size), g.shape, 'float32'));
      off += g.size;
    }
    return { grads: out, extras: flat.slice(off, off + EXTRA) };
  }

  /**
   * Compares a float64 checksum of every parameter and buffer across ranks (max and min all-reduced).
   * @throws DeepSpikeError naming the step and the spread when the ranks' weights differ
   */
  checkWeights(params: Map<string, Variable>, step: number): void {
    const c = weightChecksum(params);
    const hi = new Float64Array([c]);
    const lo = new Float64Array([c]);
    this.comm.allreduce(hi, 'max');
    this.comm.allreduce(lo, 'min');
    if (hi[0] !== lo[0]) throw new DeepSpikeError(messages.ranksDiverged(step, this.size, lo[0] as number, hi[0] as number, c, this.rank));
  }
}

/**
 * A float64 checksum of the weights that changes with any value or position: Σ w[i]·(1 + (i mod 1009)/1009)
 * per tensor, tensors in name order, each weighted by its index + 1.
 */
export function weightChecksum(params: Map<string, Variable>): number {
  let sum = 0;
  [...params.keys()].sort().forEach((n, k) => {
    const v = params.get(n)!.dataSync();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += (v[i] as number) * (1 + (i % 1009) / 1009);
    sum += (k + 1) * s;
  });
  return sum;
}
