/**
 * @deepspike/datasets — MNIST/Fashion-MNIST, CIFAR-10/100, ImageNet folders, neuromorphic event streams
 * (N-MNIST, N-Caltech101, DVS128 Gesture, CIFAR10-DVS), MNIST as simulated-saccade events (`mnist-saccade`), events to frames, augmentation and batching.
 * @packageDocumentation
 */
export type * from './types.js';
export { DatasetFormatError } from './errors.js';
export { messages } from './messages.js';
export { Rng, mixSeed, permutation } from './random/rng.js';
export { readIdx, type IdxArray } from './static/idx.js';
export { openMnist, openFashionMnist, mnistDataDir, FASHION_MNIST_DEBIAN_ROOT, type MnistOptions } from './static/mnist.js';
export { imageArrayDataset, type ImageArrayInfo, type ImageArraySplit } from './static/image-array-dataset.js';
export { openCifar10, openCifar100, decodeCifarRecords, type CifarOptions } from './static/cifar.js';
export { openImageNet, randomResizedCropBox, centerCropBox, decodeImage, type CropBox, type ImageNetOptions } from './static/imagenet.js';
export * from './augment/transforms.js';
export { decodeAtis, encodeAtis, ATIS_EVENT_BYTES } from './events/atis.js';
export { decodeAedat3, encodeAedat3, AEDAT3_PACKET_HEADER_BYTES, AEDAT3_POLARITY_EVENT } from './events/aedat3.js';
export { decodeAedat2, encodeAedat2 } from './events/aedat2.js';
export { readAedatHeader, type AedatHeader } from './events/aedat-header.js';
export { sliceByTime, eventCount } from './events/columns.js';
export { readEventFile, detectEventFormat, EVENT_FORMATS, EVENT_FORMAT_NAMES, type EventFormat, type EventFile } from './events/formats.js';
export { eventsToFrames, normalizeFramesByMax, frameCounts, type FrameOptions, type Frames } from './events/frames.js';
export { FRAME_CACHE_VERSION } from './events/frame-cache.js';
export { openEventDataset, type EventDatasetOptions, type EventDatasetSpec, type EventSampleRef } from './events/event-dataset.js';
export { parseGestureLabels, type GestureCut } from './events/gesture-labels.js';
export { openNmnist, openNCaltech101, openDvsGesture, openCifar10Dvs, DVS_GESTURE_CLASSES, CIFAR10_DVS_CLASSES } from './events/event-datasets.js';
export { saccadeEvents, saccadeFrames, saccadeDisplacement, resolveSaccadeOptions, SACCADE_TRIANGLE, type SaccadeOptions, type ResolvedSaccadeOptions, type SaccadeEvents } from './events/saccade-generator.js';
export { openMnistSaccade, mnistSaccadeInputShape, type MnistSaccadeOptions } from './events/mnist-saccade.js';
export { createLoader } from './loader/loader.js';
export { shardRange, type ShardRange } from './loader/shard.js';
export { datasetEntries } from './registry-entries.js';
export { deepspikePlugin } from './plugin.js';
export { openDataset } from './open-dataset.js';
