import type { DeepSpikePlugin } from '@deepspike/core';
import { mnistSaccadeEntry } from './dataset.js';

/**
 * The registry entries of `@deepspike/bench`: the dataset `mnist-saccade` (kind `dataset`). Loaded with
 * `loadPlugins(['@deepspike/bench'])` or `installPlugin(deepspikePlugin)`; `deepspike bench accuracy`
 * installs it itself.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/bench',
  register(registry) {
    registry.register('dataset', 'mnist-saccade', mnistSaccadeEntry);
  },
};
