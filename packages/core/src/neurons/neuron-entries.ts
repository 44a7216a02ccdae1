import type { NeuronEntry, NeuronOptions } from '../registry/kinds.js';
import type { SchemaFragment } from '../registry/registry.js';
import { Alpha } from './alpha-neuron.js';
import { CubaLIF } from './cuba-lif-neuron.js';
import { IF } from './if-neuron.js';
import { Lapicque } from './lapicque-neuron.js';
import { LI } from './li-neuron.js';
import { LIF } from './lif-neuron.js';
import { PLIF } from './plif-neuron.js';
import { PSN } from './psn-neuron.js';
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

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The neuron kinds of @deepspike/core: `lif`, `if`, `plif`, `cubalif` (current-based LIF; option
 * `alpha`, the synaptic decay) and `li` (leaky integrator, non-spiking). `create(options)` takes
 * `{vth, tau, surrogate, detachReset, channels?, name?}`; `surrogate` may be a Surrogate, a
 * registered name or `{name, params}` (default: the paper's rectangle, a = 1).
 * Also `alpha` (snnTorch Alpha; options `alpha`, `beta`), `lapicque` (snnTorch Lapicque; options
 * `resistance`, `capacitance`, `timeStep`, `reset`) and `psn` (SpikingJelly PSN; needs `timesteps`,
 * takes `seed`, which a generated model passes).
 */
export const neuronEntries: Readonly<Record<'lif' | 'if' | 'plif' | 'cubalif' | 'li' | 'alpha' | 'lapicque' | 'psn', NeuronEntry>> = {
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
  alpha: {
    description: 'Alpha neuron (snnTorch Alpha): e = (alpha*e + x)(1-o), i = (beta*i - x)(1-o), u = tau_alpha*(e + i), reset to zero.',
    create: (options) => {
      const { name, ...rest } = common(options, 'alpha');
      return new Alpha(name, strip({ ...rest, alpha: num(options.alpha), beta: num(options.beta) }));
    },
  },
  lapicque: {
    description: 'Lapicque RC-circuit neuron (snnTorch Lapicque): u = (1 - dt/RC)*u + (dt/C)*x, reset by subtraction (or to zero).',
    create: (options) => {
      const { name, ...rest } = common(options, 'lapicque');
      const reset = options.reset === undefined ? undefined : (options.reset as 'subtract' | 'zero');
      return new Lapicque(name, strip({ ...rest, tau: options.tau, resistance: num(options.resistance), capacitance: num(options.capacitance), timeStep: num(options.timeStep), reset }));
    },
  },
  psn: {
    description: 'Parallel spiking neuron (Fang et al. 2023, SpikingJelly PSN): H = W·X + B over the T steps, S = H(H - vth); learnable [T, T] W and [T] B.',
    create: (options) => {
      const { name, vth, surrogate, channels } = common(options, 'psn');
      return new PSN(name, strip({ vth, surrogate, channels, timesteps: num(options.timesteps), seed: num(options.seed) }));
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
    name: 'alpha',
    schema: {
      description: "snnTorch's Alpha neuron (reset to zero): e[t] = (alpha*e[t-1] + x[t])*(1-o[t-1]), i[t] = (beta*i[t-1] - x[t])*(1-o[t-1]), u[t] = tau_alpha*(e[t] + i[t]) with tau_alpha = log(alpha)/(log(beta) - log(alpha)) + 1, o[t] = H(u[t] - vth): an input reaches u one step later as an alpha-shaped pulse. Golden-tested against tools/golden_neurons.py. No NIR node: export and map refuse it.",
      type: 'object',
      properties: {
        vth: vthSchema,
        tau: { type: 'number', description: 'Ignored (the alpha neuron decays through alpha and beta); accepted so model-wide neuron defaults apply.' },
        alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'Excitatory-current decay of e[t] = (alpha*e[t-1] + x[t])*(1-o[t-1]); must exceed beta.' },
        beta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.8, description: 'Inhibitory-current decay of i[t] = (beta*i[t-1] - x[t])*(1-o[t-1]).' },
        surrogate: surrogateSchema,
        detachReset: detachSchema,
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'neuron',
    name: 'lapicque',
    schema: {
      description: "snnTorch's Lapicque neuron, an RC circuit R*C*du/dt = -u + R*I at Euler step dt: k = 1 - dt/(R*C), g = dt/C; reset subtract: u[t] = k*u[t-1] + g*x[t] - vth*o[t-1]; reset zero: u[t] = k*u[t-1]*(1-o[t-1]) + g*x[t]; o[t] = H(u[t] - vth). Give resistance and capacitance, or one of them (or neither: R = 1) and the leak tau = k. With reset zero it exports to NIR as LIF (tau = R*C, r = R); reset subtract has no NIR node.",
      type: 'object',
      properties: {
        vth: vthSchema,
        tau: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Leak factor k = 1 - dt/(R*C) used to solve for R or C when they are not both given.' },
        resistance: { type: 'number', exclusiveMinimum: 0, description: 'Membrane resistance R (default 1 unless capacitance and tau give it).' },
        capacitance: { type: 'number', exclusiveMinimum: 0, description: 'Membrane capacitance C (default timeStep/(R*(1 - tau))).' },
        timeStep: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Euler time step dt, at most R*C.' },
        reset: { enum: ['subtract', 'zero'], default: 'subtract', description: '"subtract": u[t] = k*u[t-1] + (dt/C)*x[t] - vth*o[t-1] (snnTorch); "zero": u[t] = k*u[t-1]*(1-o[t-1]) + (dt/C)*x[t] (NIR LIF).' },
        surrogate: surrogateSchema,
        detachReset: detachSchema,
      },
      additionalProperties: false,
    },
  },
  {
    kind: 'neuron',
    name: 'psn',
    schema: {
      description: "Parallel spiking neuron (Fang et al., NeurIPS 2023; SpikingJelly PSN): non-iterative, H = W*X + B over the T steps (X viewed as [T, N*...]), S = H(H - vth); learnable weight [T, T] (kaiming-uniform init) and bias [T] (init 0; SpikingJelly's bias -1 is vth 1). It is sized by the model's timesteps (passed by the generated class), runs on whole sequences only (no step()), has no reset and no NIR node.",
      type: 'object',
      properties: {
        vth: { ...vthSchema, default: 1 },
        tau: { type: 'number', description: 'Ignored (a PSN has no decay: its [T, T] weight is learned); accepted so model-wide neuron defaults apply.' },
        surrogate: surrogateSchema,
        detachReset: { type: 'boolean', description: 'Ignored (a PSN has no reset).' },
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
