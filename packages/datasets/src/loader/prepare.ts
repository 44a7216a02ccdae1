import { InvalidArgumentError } from '@deepspike/core';
import type { AugmentOptions, Dataset, Sample, Split } from '../types.js';
import { messages } from '../messages.js';
import { mixSeed, Rng } from '../random/rng.js';
import { applyCutout, applyGeometric } from '../augment/apply.js';
import type { Geometry } from '../augment/transforms.js';

/** What decides a batch's content besides its indices (identical in the main thread and in decode workers). */
export interface PrepareParams {
  readonly split: Split;
  readonly seed: number;
  readonly augment?: AugmentOptions;
  /** Normalise static images by the dataset mean/std. */
  readonly normalize: boolean;
}

/** A batch decoded into plain arrays (tensors are made only when it is yielded). */
export interface PreparedBatch {
  /** `[N, H, W, C]` or, for events, `[T, N, H, W, 2]`, row-major. */
  readonly x: Float32Array;
  readonly y: Int32Array;
}

/** Sample geometry of a dataset. */
export function sampleGeometry(dataset: Dataset): Geometry & { events: boolean; sampleSize: number; frameSize: number } {
  const shape = dataset.inputShape;
  const events = dataset.kind === 'events';
  const frames = events ? shape[0]! : 1;
  const [h, w, c] = events ? shape.slice(1) : shape;
  const sampleSize = shape.reduce((a, b) => a * b, 1);
  return { events, frames, h: h!, w: w!, c: c!, sampleSize, frameSize: sampleSize / frames };
}

/**
 * Decodes, augments and normalises sample `index` of epoch `epoch`. Augmentation draws from
 * `Rng(mixSeed(seed, epoch, index, 1))`, so the result depends only on `(seed, epoch, index)`.
 * Order: geometric augmentation (crop/flip/roll) → normalisation `(x - mean[c]) / std[c]` → Cutout.
 * @throws InvalidArgumentError when the dataset returns a sample of the wrong size or label (never batched)
 */
export async function prepareSample(dataset: Dataset, p: PrepareParams, epoch: number, index: number): Promise<Sample> {
  const g = sampleGeometry(dataset);
  const rng = p.augment ? new Rng(mixSeed(p.seed, epoch, index, 1)) : undefined;
  const s: Sample =
    rng && p.augment?.randomResizedCrop && dataset.getAugmented
      ? await dataset.getAugmented(p.split, index, rng, p.augment)
      : await dataset.get(p.split, index);
  if (s.x.length !== g.sampleSize || !Number.isInteger(s.label) || s.label < 0 || s.label >= dataset.classes) {
    throw new InvalidArgumentError(
      messages.badOption(`${dataset.name}.get(${p.split}, ${index})`, 'sample', { length: s.x.length, label: s.label },
        `${g.sampleSize} values and a label in 0..${dataset.classes - 1}`),
    );
  }
  const x = rng ? applyGeometric(s.x, g, p.augment!, rng) : s.x;
  const norm = !g.events && p.normalize ? dataset.normalization : undefined;
  if (norm) {
    for (let i = 0; i < g.sampleSize; i++) {
      const ch = i % g.c;
      x[i] = (x[i]! - norm.mean[ch]!) / norm.std[ch]!;
    }
  }
  if (rng) applyCutout(x, g, p.augment!, rng);
  return { x, label: s.label };
}

/** Samples decoded between two returns to the event loop. */
const CHUNK = 16;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Decodes the samples `indices` and gathers them into one batch, time-major for events. Samples are decoded
 * `CHUNK` at a time (concurrently within a chunk, so sharp decodes run in parallel on the libuv pool) and the
 * event loop gets control between chunks: on the main thread, a prefetched batch is then decoded while the
 * consumer awaits (an async readback, a timer, native work) instead of all at once before it resumes.
 */
export async function prepareBatch(dataset: Dataset, p: PrepareParams, epoch: number, indices: Int32Array): Promise<PreparedBatch> {
  const g = sampleGeometry(dataset);
  const count = indices.length;
  const samples: Sample[] = [];
  for (let s = 0; s < count; s += CHUNK) {
    await yieldToEventLoop();
    const chunk = Array.from(indices.subarray(s, Math.min(count, s + CHUNK)), (i) => prepareSample(dataset, p, epoch, i));
    samples.push(...(await Promise.all(chunk)));
  }
  const x = new Float32Array(count * g.sampleSize);
  const y = new Int32Array(count);
  samples.forEach((s, k) => {
    y[k] = s.label;
    if (!g.events) x.set(s.x, k * g.sampleSize);
    else for (let t = 0; t < g.frames; t++) x.set(s.x.subarray(t * g.frameSize, (t + 1) * g.frameSize), (t * count + k) * g.frameSize);
  });
  return { x, y };
}
