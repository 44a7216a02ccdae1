import type { NeuronEntry, NeuronOptions } from '../registry/kinds.js';
import type { SchemaFragment } from '../registry/registry.js';
import { CubaLIF } from './cuba-lif-neuron.js';
import { IF } from './if-neuron.js';
import { LI } from './li-neuron.js';
import { LIF } from './lif-neuron.js';
import { PLIF } from './plif-neuron.js';
import type { SurrogateSpec } from './surrogate-spec.js';

function common(options: NeuronOptions, kind: string) {
  return {
    name: typeof options.name === 'string' ? options.name : kind,
    vth: options.vth,
    surrogate: options.surrogate as SurrogateSpec | undefined,
    detachReset: options.detachReset,
    channels: typeof options.channels === 'number' ? options.channels : undefined,
  };
}

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The neuron kinds of @deepspike/core: `lif`, `if`, `plif`, `cubalif` (current-based LIF; option
 * `alpha`, the synaptic decay) and `li` (leaky integrator, non-spiking). `create(options)` takes
 * `{vth, tau, surrogate, detachReset, channels?, name?}`; `surrogate` may be a Surrogate, a
 * registered name or `{name, params}` (default: the paper's rectangle, a = 1).
 */
export const neuronEntries: Readonly<Record<'lif' | 'if' | 'plif' | 'cubalif' | 'li', NeuronEntry>> = {
  lif: {
    description: 'STBP leaky integrate-and-fire: u = tau*u*(1-o) + x, hard reset (Zheng et al. 2021).',
    create: (options) => {
      const { name, ...rest } = common(options, 'lif');
      return new LIF(name, strip({ ...rest, tau: options.tau }));
    },
  },
  if: {
    description: 'Integrate-and-fire with hard reset (no leak).',
    create: (options) => {
      const { name, ...rest } = common(options, 'if');
      return new IF(name, strip(rest));
    },
  },
  plif: {
    description: 'Parametric LIF: learnable decay tau = sigmoid(w).',
    create: (options) => {
      const { name, ...rest } = common(options, 'plif');
      return new PLIF(name, strip({ ...rest, tau: options.tau }));
    },
  },
  cubalif: {
    description: 'Current-based LIF (NIR CubaLIF, snnTorch Synaptic): i = alpha*i + x, u = tau*u*(1-o) + i, hard reset.',
    create: (options) => {
      const { name, ...rest } = common(options, 'cubalif');
      return new CubaLIF(name, strip({ ...rest, tau: options.tau, alpha: typeof options.alpha === 'number' ? options.alpha : undefined }));
    },
  },
  li: {
    description: 'Leaky integrator (NIR LI): u = tau*u + x, no spikes; outputs the potential (a non-spiking readout).',
    create: (options) => {
      const name = typeof options.name === 'string' ? options.name : 'li';
      return new LI(name, strip({ tau: options.tau, channels: typeof options.channels === 'number' ? options.channels : undefined }));
    },
  },
};

const surrogateSchema = {
  description: 'Surrogate gradient: a registered name ("rect", "atan", ...) or {name, params}. Default: rect with alpha 1 (the paper).',
  oneOf: [
    { type: 'string' },
    {
      type: 'object',
      properties: { name: { type: 'string' }, params: { type: 'object', additionalProperties: { type: 'number' } } },
      required: ['name'],
      additionalProperties: false,
    },
  ],
};
const vthSchema = { type: 'number', exclusiveMinimum: 0, default: 0.5, description: 'Firing threshold Vth.' };
const detachSchema = { type: 'boolean', default: false, description: 'Treat the reset factor (1 - o[t-1]) as a constant in the backward pass.' };

/** JSON Schema fragments of the neuron options, merged into the DSL. */
export const neuronSchemas: readonly SchemaFragment[] = [
  {
    kind: 'neuron',
    name: 'lif',
    schema: {
      type: 'object',
      properties: {
        vth: vthSchema,
        tau: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.25, description: 'Decay factor of u[t] = tau*u[t-1]*(1-o[t-1]) + x[t].' },
        surrogate: surrogateSchema,
        detachReset: detachSchema,
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'neuron',
    name: 'if',
    schema: { type: 'object', properties: { vth: vthSchema, surrogate: surrogateSchema, detachReset: detachSchema }, additionalProperties: false },
  },
  {
    kind: 'neuron',
    name: 'plif',
    schema: {
      type: 'object',
      properties: {
        vth: vthSchema,
        tau: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5, description: 'Initial decay; learned as sigmoid(w).' },
        surrogate: surrogateSchema,
        detachReset: detachSchema,
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'neuron',
    name: 'cubalif',
    schema: {
      type: 'object',
      properties: {
        vth: vthSchema,
        tau: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'Membrane decay (snnTorch beta) of u[t] = tau*u[t-1]*(1-o[t-1]) + i[t].' },
        alpha: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.5, description: 'Synaptic-current decay (snnTorch alpha) of i[t] = alpha*i[t-1] + x[t].' },
        surrogate: surrogateSchema,
        detachReset: detachSchema,
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'neuron',
    name: 'li',
    schema: {
      type: 'object',
      properties: {
        vth: { type: 'number', description: 'Ignored (a leaky integrator has no threshold); accepted so model-wide neuron defaults apply.' },
        tau: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'Decay of u[t] = tau*u[t-1] + x[t].' },
        surrogate: surrogateSchema,
        detachReset: detachSchema,
      },
      additionalProperties: false,
    },
  },
];
