import { check } from '@deepspike/core';
import type { ChipProfile, Sourced, TargetOptions } from '@deepspike/neuromorphic';
import { alifMessages } from './messages.js';

const SOURCE = '@deepspike-examples/plugin-adaptive-lif (a fictional example chip; its numbers are its definition)';
const def = <T>(value: T, note?: string): Sourced<T> => (note === undefined ? { value, source: SOURCE, verified: true } : { value, source: SOURCE, verified: true, note });

/** Defaults of {@link toyChip}. */
export const TOY_CHIP_DEFAULTS = Object.freeze({ cores: 16, neuronsPerCore: 128, axonsPerCore: 128 });

/**
 * `toy-chip`: a small fictional crossbar chip showing how a plugin adds a target — `cores` cores
 * (default 16, on a square-ish mesh) of 128 neurons × 128 input axons, dense 8-bit crossbars,
 * per-neuron thresholds, LIF and IF neurons with optional threshold adaptation (the adaptive-lif
 * neuron), 45 nm-style energy figures (0.9 pJ per synaptic op).
 * @param options `{cores?, neuronsPerCore?, axonsPerCore?}` positive integers
 * @throws InvalidArgumentError for an option that is not a positive integer (<= 4096)
 */
export function toyChip(options: TargetOptions = {}): ChipProfile {
  const int = (k: keyof typeof TOY_CHIP_DEFAULTS): number => {
    const x = options[k] ?? TOY_CHIP_DEFAULTS[k];
    check(typeof x === 'number' && Number.isInteger(x) && x > 0 && x <= 4096, () => alifMessages.targetOption(k, x, 'an integer in [1, 4096]'));
    return x as number;
  };
  const cores = int('cores');
  const columns = Math.ceil(Math.sqrt(cores));
  return {
    name: 'toy-chip',
    description: `Toy chip from the adaptive-LIF example plugin (${cores} cores of ${int('axonsPerCore')} x ${int('neuronsPerCore')})`,
    cores: def(cores),
    mesh: def([columns, Math.ceil(cores / columns)] as const),
    neuronsPerCore: def(int('neuronsPerCore')),
    axonsPerCore: def(int('axonsPerCore')),
    synapseBitsPerCore: def(null, 'dense crossbar, axons x neurons'),
    weightBits: def(8),
    weightBitsRange: [2, 8],
    stateBits: def(16),
    thresholdBits: def(16),
    decayBits: def(8),
    perNeuronThreshold: def(true),
    neuronModels: def(['lif', 'if'] as const),
    thresholdAdaptation: def(true, 'per-neuron adaptive thresholds, so the adaptive-lif neuron maps'),
    maxPool: false,
    convCores: false,
    quantScheme: 'common',
    energy: {
      synapticOpPJ: def(0.9, '45 nm accumulate, as the energy convention'),
      neuronUpdatePJ: def(0.9),
      hopPJ: def(0.5),
    },
  };
}

/** Registry entry (kind `target`, name `toy-chip`). */
export const toyChipEntry = {
  description: 'Toy 16-core crossbar chip of the adaptive-LIF example plugin',
  create: (options?: TargetOptions): ChipProfile => toyChip(options ?? {}),
};
