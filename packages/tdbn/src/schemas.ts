import type { SchemaFragment } from '@deepspike/core';

const epsilon = { type: 'number', minimum: 0, default: 1e-5, description: 'Variance epsilon.' };
const momentum = { type: 'number', minimum: 0, maximum: 1, default: 0.1, description: 'Running-statistics momentum (weight of the new batch).' };
const channels = { type: 'integer', minimum: 1, description: 'Number of channels C (last axis); normally inferred from the previous layer.' };
const timesteps = { type: 'integer', minimum: 1, description: 'Number of time steps T; normally taken from the model.' };
const implementation = {
  enum: ['auto', 'fused', 'composite'],
  default: 'auto',
  description: 'Fused kernel when the backend has it (auto), required (fused), or composite tf.js ops.',
};

/** JSON Schema (2020-12) fragments of the norms' options, merged into the DSL. */
export const normSchemas: readonly SchemaFragment[] = [
  {
    kind: 'norm',
    name: 'tdbn',
    schema: {
      type: 'object',
      title: 'tdBN options',
      description: 'Threshold-dependent BN: y = lambda*(alpha*Vth*(x - mean)/sqrt(var + eps)) + beta, statistics over T, N, H, W.',
      properties: {
        alpha: { type: 'number', exclusiveMinimum: 0, default: 1, description: '1 on a plain path, 1/sqrt(2) on each branch of a residual add.' },
        vth: { type: 'number', exclusiveMinimum: 0, default: 0.5, description: 'Threshold of the neurons fed (defaults to theirs).' },
        epsilon,
        momentum,
        channels,
        implementation,
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'norm',
    name: 'bn',
    schema: {
      type: 'object',
      title: 'BN options',
      description: 'Plain batch normalisation over T·N (and H, W) per channel.',
      properties: { epsilon, momentum, channels, implementation },
      additionalProperties: false,
    },
  },
  {
    kind: 'norm',
    name: 'bntt',
    schema: {
      type: 'object',
      title: 'BNTT options',
      description: 'Batch normalisation through time: statistics and parameters per time step.',
      properties: { epsilon, momentum, channels, timesteps },
      additionalProperties: false,
    },
  },
  {
    kind: 'norm',
    name: 'tebn',
    schema: {
      type: 'object',
      title: 'TEBN options',
      description: 'Temporal effective BN: BN over T·N, then a learnable scale per time step.',
      properties: { epsilon, momentum, channels, timesteps, implementation },
      additionalProperties: false,
    },
  },
  {
    kind: 'norm',
    name: 'mpbn',
    schema: {
      type: 'object',
      title: 'MPBN options',
      description:
        'Membrane potential batch normalisation (Guo et al., ICCV 2023): inside the neuron layer that follows (lif, if or plif), u[t] = tau*u[t-1]*(1-o[t-1]) + x[t], o[t] = H(lambda*(u[t] - mean)/sqrt(var + eps) + beta - vth); training: batch statistics of u[t] per channel over N, H, W at every step; inference: running statistics, i.e. a per-channel threshold on u (vth - beta)*sqrt(var + eps)/lambda + mean. Must come right before a neuron layer (it runs inside it; alone it is an error). map and export-nir fold it into the per-channel thresholds of that population (lambda > 0 on every channel). Golden-tested against tools/golden_neurons.py (mpbn.json).',
      properties: { epsilon, momentum, channels },
      additionalProperties: false,
    },
  },
];
