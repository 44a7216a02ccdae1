import * as tf from '@tensorflow/tfjs-core';
import { check, InvalidArgumentError } from '@deepspike/core';
import type { AugmentOptions, Batch, DataLoader, Dataset, LoaderOptions, LoaderState, Sample } from '../types.js';
import { messages } from '../messages.js';
import { mixSeed, permutation, Rng } from '../random/rng.js';
import { applyCutout, applyGeometric } from '../augment/apply.js';
import type { Geometry } from '../augment/transforms.js';

/** A batch decoded into plain arrays, turned into tensors only when yielded (so abandoned prefetches leak nothing). */
interface Prepared {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly indices: Int32Array;
}

const WHERE = 'createLoader';

/**
 * Creates a seeded, resumable, prefetching loader over one split of a dataset.
 *
 * - Order: epoch `e` visits `permutation(size, Rng(mixSeed(seed, e)))` (or `0..size-1` without `shuffle`).
 * - Augmentation of sample `i` in epoch `e` draws from `Rng(mixSeed(seed, e, i, 1))`, so a resumed loader and
 *   an uninterrupted one produce identical batches.
 * - Static samples are normalised `x' = (x - mean[c]) / std[c]`; batches are float32 `[N, H, W, C]`.
 *   Event samples (`[T, H, W, 2]`) are gathered time-major into `[T, N, H, W, 2]`, not normalised.
 * - Prefetch: up to `prefetch` batches are decoded ahead (their reads and decodes run while the consumer
 *   awaits its training step; sharp and file reads run on libuv's thread pool). Tensors are created only when
 *   a batch is yielded, and the caller disposes them, so `tf.memory().numTensors` stays flat over an epoch.
 * @throws InvalidArgumentError on a bad option; a sample that fails to decode rejects the iteration with the
 *   dataset's error (naming the file and offset) before its batch is yielded.
 */
export function createLoader(dataset: Dataset, options: LoaderOptions): DataLoader {
  const { split, batchSize } = options;
  check(split === 'train' || split === 'test', () => messages.badOption(WHERE, 'split', split, '"train" or "test"'));
  check(Number.isInteger(batchSize) && batchSize > 0, () => messages.badOption(WHERE, 'batchSize', batchSize, 'a positive integer'));
  const prefetch = options.prefetch ?? 2;
  check(Number.isInteger(prefetch) && prefetch >= 1, () => messages.badOption(WHERE, 'prefetch', prefetch, 'an integer >= 1'));
  const seed = options.seed ?? 0;
  check(Number.isInteger(seed), () => messages.badOption(WHERE, 'seed', seed, 'an integer'));
  const n = dataset.size(split);
  check(n > 0, () => messages.badOption(WHERE, 'split', split, `a split with samples (${dataset.name} has none)`));
  const augment: AugmentOptions | undefined =
    options.augment === true ? (dataset.defaultAugment ?? {}) : options.augment === false ? undefined : options.augment;
  const events = dataset.kind === 'events';
  const shape = dataset.inputShape;
  const frames = events ? shape[0]! : 1;
  const [h, w, c] = events ? shape.slice(1) : shape;
  const geometry: Geometry = { frames, h: h!, w: w!, c: c! };
  const sampleSize = shape.reduce((a, b) => a * b, 1);
  const frameSize = sampleSize / frames;
  const norm = !events && options.normalize !== false ? dataset.normalization : undefined;
  const batchesPerEpoch = options.dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  check(batchesPerEpoch > 0, () => messages.badOption(WHERE, 'batchSize', batchSize, `<= ${n} with dropLast (split size)`));

  let epoch = 0;
  let position = 0;

  const orderOf = (e: number): Int32Array =>
    options.shuffle ? permutation(n, new Rng(mixSeed(seed, e))) : Int32Array.from({ length: n }, (_, i) => i);

  async function sample(e: number, index: number): Promise<Sample> {
    const rng = augment ? new Rng(mixSeed(seed, e, index, 1)) : undefined;
    const s: Sample =
      rng && augment?.randomResizedCrop && dataset.getAugmented
        ? await dataset.getAugmented(split, index, rng, augment)
        : await dataset.get(split, index);
    if (s.x.length !== sampleSize || !Number.isInteger(s.label) || s.label < 0 || s.label >= dataset.classes) {
      throw new InvalidArgumentError(
        messages.badOption(`${dataset.name}.get(${split}, ${index})`, 'sample', { length: s.x.length, label: s.label },
          `${sampleSize} values and a label in 0..${dataset.classes - 1}`),
      );
    }
    let x = rng ? applyGeometric(s.x, geometry, augment!, rng) : s.x;
    if (norm) {
      for (let i = 0; i < sampleSize; i++) {
        const ch = i % c!;
        x[i] = (x[i]! - norm.mean[ch]!) / norm.std[ch]!;
      }
    }
    if (rng) applyCutout(x, geometry, augment!, rng);
    return { x, label: s.label };
  }

  async function prepare(e: number, order: Int32Array, b: number): Promise<Prepared> {
    const indices = order.slice(b * batchSize, Math.min(n, (b + 1) * batchSize));
    const count = indices.length;
    const xs = await Promise.all(Array.from(indices, (i) => sample(e, i)));
    const x = new Float32Array(count * sampleSize);
    const y = new Int32Array(count);
    xs.forEach((s, k) => {
      y[k] = s.label;
      if (!events) x.set(s.x, k * sampleSize);
      else for (let t = 0; t < frames; t++) x.set(s.x.subarray(t * frameSize, (t + 1) * frameSize), (t * count + k) * frameSize);
    });
    return { x, y, indices };
  }

  async function* run(): AsyncGenerator<Batch> {
    const e = epoch;
    const order = orderOf(e);
    const queue: Promise<Prepared>[] = [];
    let next = position;
    const fill = (): void => {
      while (queue.length < prefetch && next < batchesPerEpoch) {
        const p = prepare(e, order, next++);
        p.catch(() => {}); // observed below; avoids an unhandled rejection if the consumer stops first
        queue.push(p);
      }
    };
    fill();
    while (queue.length > 0) {
      const p = await queue.shift()!;
      fill();
      position++;
      const count = p.y.length;
      const xShape = events ? [frames, count, h!, w!, c!] : [count, h!, w!, c!];
      yield { x: tf.tensor(p.x, xShape, 'float32'), y: tf.tensor1d(p.y, 'int32'), indices: p.indices };
    }
    epoch = e + 1;
    position = 0;
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
    [Symbol.asyncIterator]: run,
  };
}
