import type { Dataset, Sample, Split } from '../types.js';
import { check } from '@deepspike/core';

/** The pixels and labels of one split held in memory: `images` is `[N, H, W, C]` uint8, row-major. */
export interface ImageArraySplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array | Uint16Array;
}

/** Description of an in-memory image dataset (MNIST, Fashion-MNIST, CIFAR). */
export interface ImageArrayInfo {
  readonly name: string;
  readonly classNames: readonly string[];
  /** `[H, W, C]`. */
  readonly inputShape: readonly [number, number, number];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly splits: Readonly<Record<Split, ImageArraySplit>>;
  readonly defaultAugment?: Dataset['defaultAugment'];
}

/**
 * A {@link Dataset} over uint8 images already validated and held in memory (labels checked in range at
 * open). `get` converts one record to float32 in [0, 1].
 */
export function imageArrayDataset(info: ImageArrayInfo): Dataset {
  const [h, w, c] = info.inputShape;
  const pixels = h * w * c;
  return {
    name: info.name,
    classes: info.classNames.length,
    classNames: info.classNames,
    inputShape: info.inputShape,
    kind: 'static',
    normalization: { mean: info.mean, std: info.std },
    defaultAugment: info.defaultAugment,
    size: (split) => info.splits[split].labels.length,
    async get(split: Split, index: number): Promise<Sample> {
      const s = info.splits[split];
      check(Number.isInteger(index) && index >= 0 && index < s.labels.length, () => `${info.name}.get: index out of range, got ${index}; expected 0..${s.labels.length - 1}. Use size(split).`);
      const x = new Float32Array(pixels);
      const src = s.images.subarray(index * pixels, (index + 1) * pixels);
      for (let i = 0; i < pixels; i++) x[i] = src[i]! / 255;
      return { x, label: s.labels[index]! };
    },
  };
}
