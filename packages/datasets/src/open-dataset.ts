import { DeepSpikeError, installPlugin, registry } from '@deepspike/core';
import { messages } from './messages.js';
import { deepspikePlugin } from './plugin.js';
import type { Dataset } from './types.js';

/**
 * Opens a dataset by its registered name (a model file's `training.dataset`), installing this
 * package's datasets first when nothing provides the name yet (a plugin's dataset wins).
 * @throws DeepSpikeError naming the dataset when no plugin registers it
 */
export async function openDataset(name: string, options: Readonly<Record<string, unknown>>): Promise<Dataset> {
  if (!registry.has('dataset', name)) installPlugin(deepspikePlugin);
  if (!registry.has('dataset', name)) throw new DeepSpikeError(messages.datasetMissing(name));
  return registry.get('dataset', name).open(options);
}
