import type { DeepSpikePlugin } from '@deepspike/core';
import { BUILTIN_CHIPS, crossbar } from './targets/chips.js';
import './targets/profile.js';

/**
 * Registers the chip targets (kind `target`): loihi, loihi2, truenorth, tianjic, speck, xylo and the
 * parameterised crossbar. A plugin package adds a chip the same way:
 * `registry.register('target', 'mychip', { create: () => profile })`.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/neuromorphic',
  register(registry) {
    for (const [name, profile] of Object.entries(BUILTIN_CHIPS)) registry.register('target', name, { description: profile.description, create: () => profile });
    registry.register('target', 'crossbar', { description: 'generic parameterised crossbar chip', create: (options) => crossbar(options) });
  },
};
