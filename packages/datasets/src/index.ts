/**
 * @deepspike/datasets — MNIST/Fashion-MNIST, CIFAR-10/100, ImageNet folders, neuromorphic event streams
 * (N-MNIST, N-Caltech101, DVS128 Gesture, CIFAR10-DVS), events to frames, augmentation and batching.
 * @packageDocumentation
 */
export type * from './types.js';
