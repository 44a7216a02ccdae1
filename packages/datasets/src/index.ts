/**
 * @deepspike/datasets — MNIST/Fashion-MNIST, CIFAR-10/100, ImageNet folders, neuromorphic event streams
 * (N-MNIST, N-Caltech101, DVS128 Gesture, CIFAR10-DVS), events to frames, augmentation and batching.
 * @packageDocumentation
 */
export type * from './types.js';
export { DatasetFormatError } from './errors.js';
export { messages } from './messages.js';
export { Rng, mixSeed, permutation } from './random/rng.js';
export { readIdx, type IdxArray } from './static/idx.js';
export { openMnist, openFashionMnist, mnistDataDir, type MnistOptions } from './static/mnist.js';
export { imageArrayDataset, type ImageArrayInfo, type ImageArraySplit } from './static/image-array-dataset.js';
export { openCifar10, openCifar100, decodeCifarRecords, type CifarOptions } from './static/cifar.js';
export { openImageNet, randomResizedCropBox, centerCropBox, decodeImage, type CropBox, type ImageNetOptions } from './static/imagenet.js';
export * from './augment/transforms.js';
export { createLoader } from './loader/loader.js';
export { datasetEntries } from './registry-entries.js';
export { deepspikePlugin } from './plugin.js';
