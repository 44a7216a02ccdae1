import type { DeepSpikePlugin } from '@deepspike/core';
import { datasetEntries } from './registry-entries.js';

/** Registers every dataset of this package under kind `dataset` (`mnist`, `cifar10`, `dvs-gesture`, ...). */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/datasets',
  register(registry) {
    for (const [name, entry] of Object.entries(datasetEntries)) registry.register('dataset', name, entry);
  },
};
