import type { SchemaFragment } from '@deepspike/core';
import { ADAPTIVE_LIF_DEFAULTS } from './adaptive-lif.js';
import { TOY_CHIP_DEFAULTS } from './toy-chip.js';
import { TOY_PATTERNS_DEFAULTS } from './toy-patterns.js';

/**
 * The plugin's JSON Schema fragments, merged into the DSL by `loadPlugins`: they check the model
 * file's `neuron.options` (adaptive-lif), `surrogate.params` (triangle), `training.dataset.options`
 * (toy-spike-patterns) and `hardware.options` (toy-chip). Errors in these fields are reported with
 * the file, JSON path and line:column like the built-in ones.
 */
export const adaptiveLifSchemas: readonly SchemaFragment[] = [
  {
    kind: 'neuron',
    name: 'adaptive-lif',
    schema: {
      type: 'object',
      title: 'adaptive-lif neuron options',
      properties: {
        beta: { type: 'number', minimum: 0, default: ADAPTIVE_LIF_DEFAULTS.beta, description: 'Threshold increase per output spike: a[t] = rho*a[t-1] + beta*o[t-1].' },
        rho: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: ADAPTIVE_LIF_DEFAULTS.rho, description: 'Per-step decay of the threshold increase a (the threshold is vth + a).' },
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'surrogate',
    name: 'triangle',
    schema: {
      type: 'object',
      title: 'triangle surrogate parameters',
      properties: { alpha: { type: 'number', exclusiveMinimum: 0, default: 1, description: "Half-width of the triangle g'(x) = max(0, 1 - |x|/alpha)/alpha." } },
      additionalProperties: false,
    },
  },
  {
    kind: 'dataset',
    name: 'toy-spike-patterns',
    schema: {
      type: 'object',
      title: 'toy-spike-patterns options',
      properties: {
        side: { type: 'integer', minimum: 4, maximum: 64, default: TOY_PATTERNS_DEFAULTS.side, description: 'Side of the square grid; samples are [side, side, 1].' },
        trainSize: { type: 'integer', minimum: 2, default: TOY_PATTERNS_DEFAULTS.trainSize, description: 'Training samples.' },
        testSize: { type: 'integer', minimum: 2, default: TOY_PATTERNS_DEFAULTS.testSize, description: 'Test samples.' },
        on: { type: 'number', minimum: 0, maximum: 1, default: TOY_PATTERNS_DEFAULTS.on, description: "Probability that a pixel of the class's bars is on." },
        noise: { type: 'number', minimum: 0, maximum: 1, default: TOY_PATTERNS_DEFAULTS.noise, description: 'Probability that any other pixel is on.' },
        seed: { type: 'integer', minimum: 0, default: TOY_PATTERNS_DEFAULTS.seed, description: 'Seed of the generator.' },
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'target',
    name: 'toy-chip',
    schema: {
      type: 'object',
      title: 'toy-chip options',
      properties: {
        cores: { type: 'integer', minimum: 1, maximum: 4096, default: TOY_CHIP_DEFAULTS.cores, description: 'Cores on the chip.' },
        neuronsPerCore: { type: 'integer', minimum: 1, maximum: 4096, default: TOY_CHIP_DEFAULTS.neuronsPerCore, description: 'Neurons per core.' },
        axonsPerCore: { type: 'integer', minimum: 1, maximum: 4096, default: TOY_CHIP_DEFAULTS.axonsPerCore, description: 'Input axons per core.' },
      },
      additionalProperties: false,
    },
  },
];
