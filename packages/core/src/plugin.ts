import { encoderEntries } from './encoders/encoders.js';
import { neuronEntries, neuronSchemas } from './neurons/neuron-entries.js';
import type { DeepSpikePlugin } from './registry/plugin.js';

/**
 * `@deepspike/core` registers its own entries the way every plugin does: load it with
 * `loadPlugins(['@deepspike/core'])` (or `installPlugin(deepspikePlugin)`).
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/core',
  register(registry) {
    for (const [name, entry] of Object.entries(encoderEntries)) registry.register('encoder', name, entry);
    for (const [name, entry] of Object.entries(neuronEntries)) registry.register('neuron', name, entry);
  },
  schemas: [...neuronSchemas],
};
