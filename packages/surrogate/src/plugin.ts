import type { DeepSpikePlugin, SchemaFragment } from '@deepspike/core';
import { surrogateEntry, surrogateSchema } from './define.js';
import { SURROGATE_FAMILIES } from './families.js';
import { rectangular } from './functions/rectangular.js';

const rectangularSchema: SchemaFragment = {
  kind: 'surrogate',
  name: 'rectangular',
  schema: {
    type: 'object',
    description: "The paper's rectangle by its window width a: (1/a) * 1(|x| < a/2); same as rect with alpha = 1/a.",
    properties: { width: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Window width a.' } },
    additionalProperties: false,
  },
};

/**
 * Registers every surrogate as kind `surrogate` under its lower-kebab name (`rect`, `rectangular`,
 * `sigmoid`, `atan`, `piecewise-quadratic`, ...), with a JSON Schema fragment of its parameters:
 * `registry.get('surrogate', 'atan').create({alpha: 2})`.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/surrogate',
  register(registry) {
    for (const family of SURROGATE_FAMILIES) registry.register('surrogate', family.name, surrogateEntry(family));
    registry.register('surrogate', 'rectangular', {
      description: rectangularSchema.schema.description as string,
      create: (params) => rectangular(params as { width?: number }),
    });
  },
  schemas: [...SURROGATE_FAMILIES.map((f) => surrogateSchema(f)), rectangularSchema],
};
