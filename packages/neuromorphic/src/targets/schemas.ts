import type { SchemaFragment } from '@deepspike/core';
import { BUILTIN_CHIPS } from './chips.js';

const positiveInt = (description: string, fallback: number | string, max?: number): Record<string, unknown> => ({
  type: 'integer',
  minimum: 1,
  ...(max === undefined ? {} : { maximum: max }),
  ...(typeof fallback === 'number' ? { default: fallback } : {}),
  description: typeof fallback === 'number' ? description : `${description} (default ${fallback}).`,
});
const energy = (description: string, fallback: number | null): Record<string, unknown> => ({
  type: 'number',
  minimum: 0,
  description: `${description} in pJ (default ${fallback === null ? 'none' : fallback}).`,
});

/** Schema of the `crossbar` target's options (`hardware.options`), one property per option of {@link crossbar}. */
export const CROSSBAR_OPTIONS_SCHEMA = {
  type: 'object',
  title: 'crossbar options',
  properties: {
    cores: positiveInt('Cores on the chip.', 64),
    axons: positiveInt('Input axons per core (rows of the crossbar).', 256),
    neurons: positiveInt('Neurons per core (columns of the crossbar).', 256),
    meshX: positiveInt('Columns of the core mesh', 'ceil(sqrt(cores))'),
    meshY: positiveInt('Rows of the core mesh', 'ceil(cores / meshX)'),
    weightBits: { ...positiveInt('Signed bits per weight.', 8, 16) },
    stateBits: positiveInt('Signed bits of the membrane state.', 24, 53),
    thresholdBits: positiveInt('Bits of a threshold.', 24, 53),
    decayBits: positiveInt('Fixed-point bits of decay factors.', 12, 30),
    perNeuronThreshold: { type: 'boolean', default: true, description: 'A threshold per neuron/channel (false: one per layer, so tdBN folds into the weights).' },
    thresholdAdaptation: { type: 'boolean', default: false, description: 'Neurons can carry a spike-triggered threshold adaptation (adaptive-threshold LIF).' },
    quantScheme: { type: 'string', enum: ['common', 'per-channel', 'loihi'], default: 'common', description: 'Weight quantisation: one scale per layer, per output channel, or Loihi mantissa x 2^exponent.' },
    synapticOpPJ: energy('Energy per synaptic operation', 0.9),
    neuronUpdatePJ: energy('Energy per neuron update', 0.9),
    hopPJ: energy('Energy per spike hop between cores', null),
  },
  additionalProperties: false,
} as const;

/** Schema of a chip that takes no options: any key in `hardware.options` is a mistake. */
const NO_OPTIONS = (chip: string): Record<string, unknown> => ({
  type: 'object',
  title: `${chip} options`,
  description: `${chip} is a fixed chip profile: it takes no options.`,
  properties: {},
  additionalProperties: false,
});

/**
 * The schema fragments (kind `target`) of the built-in targets, merged into the DSL by the plugin so a
 * model file's `hardware.options` are checked like any other field (file:line:column, JSON path):
 * the fixed chips take no options, `crossbar` takes {@link CROSSBAR_OPTIONS_SCHEMA}.
 */
export const TARGET_SCHEMAS: readonly SchemaFragment[] = [
  ...Object.keys(BUILTIN_CHIPS).map((name) => ({ kind: 'target' as const, name, schema: NO_OPTIONS(name) })),
  { kind: 'target', name: 'crossbar', schema: CROSSBAR_OPTIONS_SCHEMA },
];
