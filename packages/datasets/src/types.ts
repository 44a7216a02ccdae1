/**
 * The interfaces of `@deepspike/datasets`, agreed with the trainer (`@deepspike/train`):
 * a {@link Dataset} is opened from the registry (kind `dataset`), and {@link createLoader} turns it into a
 * {@link DataLoader} of {@link Batch}es whose order can be checkpointed ({@link LoaderState}) and resumed exactly.
 *
 * ```ts
 * const ds = await registry.get('dataset', 'mnist').open({});
 * const loader = createLoader(ds, { split: 'train', batchSize: 128, shuffle: true, seed: 1 });
 * for await (const { x, y } of loader) { ...; tf.dispose([x, y]); }
 * ```
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { EntryBase } from '@deepspike/core';

/** A split of a dataset. `test` is the held-out split (ImageNet's `val` folder). */
export type Split = 'train' | 'test';

/** Options every dataset's `open` understands; datasets accept more (documented on each entry). */
export interface DatasetOptions {
  /** Directory holding the dataset's files, as downloaded from the official source. */
  readonly root?: string;
  readonly [option: string]: unknown;
}

/**
 * A single decoded sample. `x` is float32, laid out as {@link Dataset.inputShape}
 * (`[H, W, C]` row-major for images, values in [0, 1] before normalisation; `[T, H, W, 2]` frames for events).
 */
export interface Sample {
  readonly x: Float32Array;
  /** Class index in `[0, classes)`. */
  readonly label: number;
}

/** Typed-array columns of an event stream (one entry per event, in file order). */
export interface EventColumns {
  /** Timestamps in microseconds (integers, exact up to 2^53). */
  readonly t: Float64Array;
  /** Column (0 = left of the sensor). */
  readonly x: Uint16Array;
  /** Row (0 = top of the sensor, as in the public readers). */
  readonly y: Uint16Array;
  /** Polarity: 0 = OFF (darker), 1 = ON (brighter). */
  readonly p: Uint8Array;
}

/** What a dataset provides: metadata, and random access to decoded samples of each split. */
export interface Dataset {
  /** Registered name, e.g. `"mnist"`. */
  readonly name: string;
  /** Number of classes (labels are `0 .. classes-1`). */
  readonly classes: number;
  /** Human-readable class names, `classNames.length === classes`. */
  readonly classNames: readonly string[];
  /**
   * Shape of one sample: `[H, W, C]` for static images, `[T, H, W, 2]` for event frames.
   * Batches are `[N, H, W, C]` and `[T, N, H, W, 2]` respectively.
   */
  readonly inputShape: readonly number[];
  /** `static` (images) or `events` (frames of events, time-major batches). */
  readonly kind: 'static' | 'events';
  /** Per-channel mean and std used to normalise images (`x' = (x - mean[c]) / std[c]`, x in [0, 1]); absent for events. */
  readonly normalization?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /** Augmentation applied when a loader is created with `augment: true` (train split). */
  readonly defaultAugment?: AugmentOptions;
  /** Number of samples in a split. */
  size(split: Split): number;
  /**
   * Decodes sample `index` of `split` into a fresh array the caller owns (the loader edits it in place). Never returns a partially read sample: a short or corrupt
   * record rejects with an error naming the file and byte offset.
   */
  get(split: Split, index: number): Promise<Sample>;
  /**
   * Optional: decodes with a seeded random transform the dataset must apply while decoding
   * (ImageNet's RandomResizedCrop, from `augment.randomResizedCrop`). `rng` is the per-sample generator of the loader.
   */
  getAugmented?(split: Split, index: number, rng: RandomSource, augment: AugmentOptions): Promise<Sample>;
  /** Releases file handles and caches. */
  close?(): Promise<void>;
  /**
   * How to reopen this dataset in another thread: its registry entry name and open options (plain JSON).
   * Set by the registered openers; needed by loaders with `workers > 0`.
   */
  readonly source?: DatasetSource;
}

/** A registry entry name and the options it was opened with. */
export interface DatasetSource {
  readonly entry: string;
  readonly options: DatasetOptions;
}

/** A source of uniform numbers in [0, 1) (see `Rng`). */
export interface RandomSource {
  next(): number;
}

/** Seeded augmentations applied per sample by the loader (train split). All default off. */
export interface AugmentOptions {
  /** Zero-pad by `padding` pixels on each side, then crop back to the original size at a random place. */
  readonly randomCrop?: { readonly padding: number };
  /** Mirror left-right with probability 0.5 (images and event frames). */
  readonly flip?: boolean;
  /** Cutout (DeVries & Taylor 2017): zero a `size`×`size` square centred at a random pixel (clipped). */
  readonly cutout?: { readonly size: number };
  /** Events: roll frames by up to `max` pixels in x and y (circular shift), as SpikingJelly/tonic do. */
  readonly roll?: { readonly max: number };
  /** ImageNet: RandomResizedCrop scale/ratio (applied while decoding by the dataset). */
  readonly randomResizedCrop?: { readonly scale?: readonly [number, number]; readonly ratio?: readonly [number, number] };
}

/** Options of {@link createLoader}. */
export interface LoaderOptions {
  readonly split: Split;
  /** Samples per batch (> 0). */
  readonly batchSize: number;
  /** Shuffle the order each epoch (seeded). Default false. */
  readonly shuffle?: boolean;
  /** Seed of the shuffling and augmentation streams. Default 0. */
  readonly seed?: number;
  /** `true` for the dataset's {@link Dataset.defaultAugment}, or explicit options. Default none. */
  readonly augment?: boolean | AugmentOptions;
  /** Drop the last incomplete batch. Default false. */
  readonly dropLast?: boolean;
  /** Normalise images by the dataset mean/std. Default true (ignored for events). */
  readonly normalize?: boolean;
  /** Batches decoded ahead of the consumer. Default 2 (at least `workers`). */
  readonly prefetch?: number;
  /**
   * Decode in this many worker threads (each reopens the dataset from {@link Dataset.source}), so decoding
   * overlaps a training step that occupies the main thread. Default 0: decode on the main thread, in chunks
   * interleaved with the consumer's awaits (plus file reads and sharp on the libuv thread pool).
   */
  readonly workers?: number;
  /**
   * Data-parallel rank `rank` of `size`: each global batch (the order and augmentation are those of
   * the unsharded loader) is cut by `shardRange` and this loader yields only its part, so N ranks
   * together see exactly the batches of one process. Default: the whole batch.
   */
  readonly shard?: { readonly rank: number; readonly size: number };
}

/** One batch. The caller owns (and disposes) `x` and `y`. */
export interface Batch {
  /** float32 `[N, H, W, C]` (static) or `[T, N, H, W, 2]` (events). */
  readonly x: Tensor;
  /** int32 `[N]` class labels. */
  readonly y: Tensor;
  /** Indices of the samples in the split, in batch order. */
  readonly indices: Int32Array;
  /** Samples of the global batch this one is a shard of (its own size when the loader is not sharded). */
  readonly globalSize: number;
}

/**
 * Where a loader is in its sequence of epochs. The order of epoch `e` and the augmentation of each
 * sample are pure functions of `(seed, epoch, position)`, so restoring a saved state resumes exactly.
 */
export interface LoaderState {
  /** Epochs completed. */
  readonly epoch: number;
  /** Batches already yielded in the current epoch. */
  readonly position: number;
  /** The loader's seed. */
  readonly seed: number;
}

/** Iterates batches of one split; each `for await` runs to the end of the current epoch. */
export interface DataLoader extends AsyncIterable<Batch> {
  /** Batches in a full epoch (depends on `dropLast`). */
  readonly batchesPerEpoch: number;
  /** The dataset it reads. */
  readonly dataset: Dataset;
  /** Current position (save it in a checkpoint). */
  state(): LoaderState;
  /** Moves to a saved position; the next iteration continues from there. */
  restore(state: LoaderState): void;
  /** Stops the decode workers (if any). The loader can still iterate afterwards (it restarts them). */
  close?(): Promise<void>;
}

/** A dataset factory registered under kind `dataset`. */
export interface DatasetEntry extends EntryBase {
  /** Opens the dataset; rejects naming the missing/corrupt file when the files are not usable. */
  open(options?: DatasetOptions): Promise<Dataset>;
}

declare module '@deepspike/core' {
  /** The registry kind `dataset` (added by declaration merging). */
  interface RegistryKinds {
    dataset: DatasetEntry;
  }
}
