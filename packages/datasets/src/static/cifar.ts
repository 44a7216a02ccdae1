import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, DatasetOptions, Split } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { isFile, readDatasetFile } from '../io/read-file.js';
import { imageArrayDataset, type ImageArraySplit } from './image-array-dataset.js';

/** Options of `cifar10` / `cifar100`. */
export interface CifarOptions extends DatasetOptions {
  /** The extracted binary archive: `cifar-10-batches-bin/` (or `cifar-100-binary/`), or the folder holding it. */
  readonly root?: string;
  /** CIFAR-100 only: `fine` (100 classes, default) or `coarse` (20 superclasses). */
  readonly labels?: 'fine' | 'coarse';
  /** Override the per-channel normalisation. */
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

const PIXELS = 32 * 32;
const IMAGE_BYTES = 3 * PIXELS;

interface Variant {
  readonly name: 'cifar10' | 'cifar100';
  readonly folder: string;
  readonly files: Readonly<Record<Split, readonly string[]>>;
  readonly labelBytes: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

const CIFAR10: Variant = {
  name: 'cifar10',
  folder: 'cifar-10-batches-bin',
  files: { train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`), test: ['test_batch.bin'] },
  labelBytes: 1,
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
};
const CIFAR100: Variant = {
  name: 'cifar100',
  folder: 'cifar-100-binary',
  files: { train: ['train.bin'], test: ['test.bin'] },
  labelBytes: 2,
  mean: [0.5071, 0.4865, 0.4409],
  std: [0.2673, 0.2564, 0.2762],
};
const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/**
 * Decodes CIFAR binary records into HWC uint8 images and labels.
 *
 * Record layout (Krizhevsky, "the binary version"): CIFAR-10 `<1 byte label><3072 bytes pixels>`;
 * CIFAR-100 `<1 byte coarse label><1 byte fine label><3072 bytes pixels>`. The pixels are planar:
 * 1024 red, then 1024 green, then 1024 blue values, each plane 32×32 row-major.
 * @param labelIndex which label byte to use (0 = the first)
 * @throws DatasetFormatError on a partial record (offset of its first byte) or an out-of-range label
 */
export function decodeCifarRecords(file: string, bytes: Uint8Array, labelBytes: number, labelIndex: number, classes: number): ImageArraySplit {
  const record = labelBytes + IMAGE_BYTES;
  const n = Math.floor(bytes.length / record);
  if (bytes.length % record !== 0) {
    const offset = n * record;
    throw new DatasetFormatError(messages.truncated(file, offset, `record ${n}`, bytes.length - offset, record), file, offset);
  }
  const images = new Uint8Array(n * IMAGE_BYTES);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * record;
    const label = bytes[base + labelIndex]!;
    if (label >= classes) throw new DatasetFormatError(messages.labelRange(file, base + labelIndex, r, label, classes), file, base + labelIndex);
    labels[r] = label;
    const px = base + labelBytes;
    const out = r * IMAGE_BYTES;
    for (let i = 0; i < PIXELS; i++) {
      images[out + 3 * i] = bytes[px + i]!;
      images[out + 3 * i + 1] = bytes[px + PIXELS + i]!;
      images[out + 3 * i + 2] = bytes[px + 2 * PIXELS + i]!;
    }
  }
  return { images, labels };
}

function readNames(file: string): string[] | undefined {
  if (!isFile(file)) return undefined;
  return readFileSync(file, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
}

async function openCifar(v: Variant, options: CifarOptions): Promise<Dataset> {
  const fix = `Pass root: the folder ${v.folder}/ extracted from the official "binary version" archive.`;
  const given = options.root;
  if (given === undefined) throw new DatasetFormatError(messages.notFound(v.name, '(no root)', ['--root'], fix), '(no root)');
  const root = isFile(join(given, v.files.test[0]!)) ? given : join(given, v.folder);
  const tried = [...v.files.train, ...v.files.test];
  if (!isFile(join(root, v.files.test[0]!))) throw new DatasetFormatError(messages.notFound(v.name, given, tried, fix), given);
  const fine = v.labelBytes === 2 && options.labels !== 'coarse';
  const names =
    v.name === 'cifar10'
      ? (readNames(join(root, 'batches.meta.txt')) ?? CIFAR10_NAMES)
      : (readNames(join(root, fine ? 'fine_label_names.txt' : 'coarse_label_names.txt')) ??
        Array.from({ length: fine ? 100 : 20 }, (_, i) => String(i)));
  const splits = {} as Record<Split, ImageArraySplit>;
  for (const split of ['train', 'test'] as const) {
    const parts = v.files[split].map((f) => {
      const file = join(root, f);
      return decodeCifarRecords(file, readDatasetFile(file, `the ${v.name} ${split} batch`, fix), v.labelBytes, fine ? 1 : 0, names.length);
    });
    const total = parts.reduce((a, p) => a + p.labels.length, 0);
    const images = new Uint8Array(total * IMAGE_BYTES);
    const labels = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      images.set(p.images, at * IMAGE_BYTES);
      labels.set(p.labels, at);
      at += p.labels.length;
    }
    splits[split] = { images, labels };
  }
  return imageArrayDataset({
    name: v.name,
    classNames: names,
    inputShape: [32, 32, 3],
    mean: options.mean ?? v.mean,
    std: options.std ?? v.std,
    splits,
    defaultAugment: { randomCrop: { padding: 4 }, flip: true },
  });
}

/** CIFAR-10 (binary version): 50000 train (data_batch_1..5.bin) / 10000 test, `[32, 32, 3]`, 10 classes. */
export async function openCifar10(options: CifarOptions = {}): Promise<Dataset> {
  return openCifar(CIFAR10, options);
}

/** CIFAR-100 (binary version): 50000 train / 10000 test, `[32, 32, 3]`, 100 fine (or 20 coarse) classes. */
export async function openCifar100(options: CifarOptions = {}): Promise<Dataset> {
  return openCifar(CIFAR100, options);
}
