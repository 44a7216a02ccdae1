import * as tf from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import type { AugmentOptions, Batch, DataLoader, Dataset, LoaderOptions, LoaderState } from '../types.js';
import { messages } from '../messages.js';
import { mixSeed, permutation, Rng } from '../random/rng.js';
import { prepareBatch, sampleGeometry, type PrepareParams, type PreparedBatch } from './prepare.js';
import { DecodePool } from './decode-pool.js';
import { shardRange } from './shard.js';

const WHERE = 'createLoader';

/**
 * Creates a seeded, resumable, prefetching loader over one split of a dataset.
 *
 * - Order: epoch `e` visits `permutation(size, Rng(mixSeed(seed, e)))` (or `0..size-1` without `shuffle`).
 * - Augmentation of sample `i` in epoch `e` draws from `Rng(mixSeed(seed, e, i, 1))`, so a resumed loader, an
 *   uninterrupted one and one decoding in workers produce identical batches.
 * - Shard (`shard: {rank, size}`, data-parallel training): each global batch above is cut by `shardRange` and
 *   only this rank's contiguous part is decoded and yielded (`globalSize` says how large the whole batch is).
 * - Static samples are normalised `x' = (x - mean[c]) / std[c]`; batches are float32 `[N, H, W, C]`.
 *   Event samples (`[T, H, W, 2]`) are gathered time-major into `[T, N, H, W, 2]`, not normalised.
 * - Prefetch: up to `prefetch` batches are decoded ahead of the consumer. On the main thread (`workers: 0`) they
 *   are decoded in chunks of 16 samples whenever the consumer awaits (async readback, timers, native work), and
 *   file reads and sharp decodes run on the libuv pool; a training step that keeps the main thread busy (tf.js
 *   cpu/wasm kernels) overlaps decoding only with `workers: k`, which decodes batches in k worker threads.
 * - Memory: tensors are created only when a batch is yielded and the caller disposes them, so
 *   `tf.memory().numTensors` stays flat over an epoch; abandoned prefetched batches are plain arrays.
 * @throws InvalidArgumentError on a bad option; a sample that fails to decode rejects the iteration with the
 *   dataset's error (naming the file and offset) before its batch is yielded.
 * long-function: the loader's state (cursor, prefetch queue, workers) is closed over by the iterator it returns.
 */
export function createLoader(dataset: Dataset, options: LoaderOptions): DataLoader {
  const { split, batchSize } = options;
  check(split === 'train' || split === 'test', () => messages.badOption(WHERE, 'split', split, '"train" or "test"'));
  check(Number.isInteger(batchSize) && batchSize > 0, () => messages.badOption(WHERE, 'batchSize', batchSize, 'a positive integer'));
  const workers = options.workers ?? 0;
  check(Number.isInteger(workers) && workers >= 0, () => messages.badOption(WHERE, 'workers', workers, 'an integer >= 0'));
  check(workers === 0 || dataset.source !== undefined,
    () => messages.badOption(WHERE, 'workers', workers, `0 for ${dataset.name}, which has no registry source to reopen in a worker`));
  const prefetch = options.prefetch ?? Math.max(2, workers);
  check(Number.isInteger(prefetch) && prefetch >= 1, () => messages.badOption(WHERE, 'prefetch', prefetch, 'an integer >= 1'));
  const seed = options.seed ?? 0;
  check(Number.isInteger(seed), () => messages.badOption(WHERE, 'seed', seed, 'an integer'));
  const n = dataset.size(split);
  check(n > 0, () => messages.badOption(WHERE, 'split', split, `a split with samples (${dataset.name} has none)`));
  const augment: AugmentOptions | undefined =
    options.augment === true ? (dataset.defaultAugment ?? {}) : options.augment === false ? undefined : options.augment;
  const params: PrepareParams = { split, seed, augment, normalize: options.normalize !== false };
  const { shard } = options;
  if (shard) shardRange(batchSize, shard.rank, shard.size, `${WHERE} (shard)`);
  const g = sampleGeometry(dataset);
  const batchesPerEpoch = options.dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  check(batchesPerEpoch > 0, () => messages.badOption(WHERE, 'batchSize', batchSize, `<= ${n} with dropLast (split size)`));

  let epoch = 0;
  let position = 0;
  let pool: DecodePool | undefined;

  const orderOf = (e: number): Int32Array =>
    options.shuffle ? permutation(n, new Rng(mixSeed(seed, e))) : Int32Array.from({ length: n }, (_, i) => i);

  // Main-thread batches are prepared one after another (not interleaved), so the batch the consumer needs next
  // is ready first; the later prefetched ones fill the consumer's remaining idle time.
  let chain: Promise<unknown> = Promise.resolve();
  const prepare = (e: number, indices: Int32Array, stopped: { value: boolean }): Promise<PreparedBatch> => {
    if (workers === 0) {
      // a batch not started when the consumer stops (break) is never decoded
      const p = chain.then(() => (stopped.value ? Promise.reject(new Error('loader stopped')) : prepareBatch(dataset, params, e, indices)));
      chain = p.catch(() => {});
      return p;
    }
    pool ??= new DecodePool(workers);
    return pool.run({ source: dataset.source!, params, epoch: e, indices });
  };

  async function* run(): AsyncGenerator<Batch> {
    const e = epoch;
    const order = orderOf(e);
    const queue: { indices: Int32Array; batch: Promise<PreparedBatch>; globalSize: number }[] = [];
    const stopped = { value: false };
    let next = position;
    const fill = (): void => {
      while (queue.length < prefetch && next < batchesPerEpoch) {
        const b = next++;
        const all = order.slice(b * batchSize, Math.min(n, (b + 1) * batchSize));
        const part = shard ? shardRange(all.length, shard.rank, shard.size, `${WHERE} (shard)`) : { start: 0, end: all.length };
        const indices = part.start === 0 && part.end === all.length ? all : all.slice(part.start, part.end);
        const batch = prepare(e, indices, stopped);
        batch.catch(() => {}); // observed below; avoids an unhandled rejection if the consumer stops first
        queue.push({ indices, batch, globalSize: all.length });
      }
    };
    try {
      fill();
      while (queue.length > 0) {
        const head = queue.shift()!;
        const p = await head.batch;
        fill();
        position++;
        const count = p.y.length;
        const xShape = g.events ? [g.frames, count, g.h, g.w, g.c] : [count, g.h, g.w, g.c];
        yield { x: tf.tensor(p.x, xShape, 'float32'), y: tf.tensor1d(p.y, 'int32'), indices: head.indices, globalSize: head.globalSize };
      }
      epoch = e + 1;
      position = 0;
    } finally {
      stopped.value = true;
    }
  }

  return {
    batchesPerEpoch,
    dataset,
    state(): LoaderState {
      return position >= batchesPerEpoch ? { epoch: epoch + 1, position: 0, seed } : { epoch, position, seed };
    },
    restore(state: LoaderState): void {
      check(state.seed === seed, () => messages.badOption(`${WHERE}.restore`, 'seed', state.seed, `${seed} (the loader's seed)`));
      check(Number.isInteger(state.epoch) && state.epoch >= 0, () => messages.badOption(`${WHERE}.restore`, 'epoch', state.epoch, 'an integer >= 0'));
      check(Number.isInteger(state.position) && state.position >= 0 && state.position <= batchesPerEpoch,
        () => messages.badOption(`${WHERE}.restore`, 'position', state.position, `0..${batchesPerEpoch}`));
      epoch = state.epoch;
      position = state.position;
    },
    async close(): Promise<void> {
      const p = pool;
      pool = undefined;
      await p?.close();
    },
    [Symbol.asyncIterator]: run,
  };
}
