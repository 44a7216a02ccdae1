/**
 * An example third-party DeepSpike plugin, built as an outsider would: it depends only on the
 * published `@deepspike/core` API, exports `deepspikePlugin`, and registers one encoder with its
 * DSL schema fragment.
 * @packageDocumentation
 */
import type { DeepSpikePlugin } from '@deepspike/core';
import { rankOrderEncoder } from './rank-order.js';

export { rankOrderEncoder } from './rank-order.js';

export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike-examples/plugin-rank-order',
  register(registry) {
    registry.register('encoder', 'rank-order', {
      description: 'One spike per input; brighter inputs fire earlier, spread evenly over T.',
      create: (o = {}) => rankOrderEncoder(typeof o.threshold === 'number' ? { threshold: o.threshold } : {}),
    });
  },
  schemas: [
    {
      kind: 'encoder',
      name: 'rank-order',
      schema: {
        type: 'object',
        title: 'rank-order encoder options',
        properties: {
          threshold: { type: 'number', default: 0, description: 'Inputs at or below this value never fire.' },
        },
        additionalProperties: false,
      },
    },
  ],
};
