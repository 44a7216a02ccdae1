import { InvalidArgumentError, type DeepSpikePlugin } from '@deepspike/core';
import { messages } from './messages.js';
import { BUILTIN_CHIPS, crossbar } from './targets/chips.js';
import { TARGET_SCHEMAS } from './targets/schemas.js';
import './targets/profile.js';

/**
 * Registers the chip targets (kind `target`): loihi, loihi2, truenorth, tianjic, speck, xylo and the
 * parameterised crossbar, with the schema fragments of their options (TARGET_SCHEMAS: the fixed chips
 * take none, so a key in `hardware.options` is reported as a mistake). A plugin package adds a chip the
 * same way: `registry.register('target', 'mychip', { create: (options) => profile })` plus a fragment.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/neuromorphic',
  register(registry) {
    for (const [name, profile] of Object.entries(BUILTIN_CHIPS)) {
      registry.register('target', name, {
        description: profile.description,
        create: (options) => {
          const keys = Object.keys(options ?? {});
          if (keys.length > 0) throw new InvalidArgumentError(messages.badOption(`target ${name}`, keys.join(', '), options, `no options (${name} is a fixed chip profile); remove hardware.options or use the crossbar target`));
          return profile;
        },
      });
    }
    registry.register('target', 'crossbar', { description: 'generic parameterised crossbar chip', create: (options) => crossbar(options) });
  },
  schemas: TARGET_SCHEMAS,
};
