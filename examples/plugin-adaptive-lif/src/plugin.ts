import type { DeepSpikePlugin, NeuronOptions } from '@deepspike/core';
import { AdaptiveLIF, type AdaptiveLIFOptions } from './adaptive-lif.js';
import { adaptiveLifSchemas } from './schemas.js';
import { toyChipEntry } from './toy-chip.js';
import { toyPatternsEntry } from './toy-patterns.js';
import { triangleEntry } from './triangle.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * The plugin object DeepSpike loads (`loadPlugins(['@deepspike-examples/plugin-adaptive-lif'])`, or
 * `deepspike validate --plugin ...`): registers neuron `adaptive-lif`, surrogate `triangle`, dataset
 * `toy-spike-patterns` and target `toy-chip`, and contributes their schema fragments.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike-examples/plugin-adaptive-lif',
  register(registry) {
    registry.register('neuron', 'adaptive-lif', {
      description: 'LIF whose threshold rises by beta per spike and decays back by rho per step.',
      create: (o: NeuronOptions) => {
        const options: AdaptiveLIFOptions = Object.fromEntries(
          Object.entries({
            vth: num(o.vth),
            tau: num(o.tau),
            beta: num(o.beta),
            rho: num(o.rho),
            surrogate: o.surrogate,
            detachReset: typeof o.detachReset === 'boolean' ? o.detachReset : undefined,
            channels: num(o.channels),
          }).filter(([, v]) => v !== undefined),
        );
        return new AdaptiveLIF(typeof o.name === 'string' ? o.name : 'adaptive-lif', options);
      },
    });
    registry.register('surrogate', 'triangle', triangleEntry);
    registry.register('dataset', 'toy-spike-patterns', toyPatternsEntry);
    registry.register('target', 'toy-chip', toyChipEntry);
  },
  schemas: adaptiveLifSchemas,
};
