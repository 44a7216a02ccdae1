import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  BasicBlock,
  Bottleneck,
  MsBlock,
  SewBlock,
  SpikformerBlock,
  SpikformerPatchSplit,
  Conv2d,
  DeepSpikeError,
  Dropout,
  Flatten,
  GlobalAvgPool,
  Layer,
  Linear,
  Pool,
  Readout,
  RecurrentNeuron,
  SpikingModel,
  createNeuron,
  deriveSeed,
  encodeInput,
  encodeInputOnce,
  neuronLayersOf,
  normIntoNeuron,
  normIntoNeuronPool,
  normIntoNeuronRepeated,
  registry as defaultRegistry,
  type Encoder,
  type NeuronLayer,
  type NeuronOptions,
  type NeuronSpec,
  type NormSpec,
  type Registry,
  type Surrogate,
} from '@deepspike/core';
import type { ModelSpec } from '@deepspike/dsl';
import { messages } from './messages.js';
import { planModel, type ModelPlan, type NeuronPlan, type NormPlan, type PlanNode, type ShapeAware } from './plan.js';
import { KNOWN_CLASSES } from './known-classes.js';
import { forwardSteps, runsFirstLayerOnce, stepField, stepInputs, type ForwardStep } from './forward-steps.js';

/** Options of {@link buildModel} (the generated classes take the same). */
export interface BuildModelOptions {
  /** Where encoders, neurons, norms, surrogates and plugin layers come from (default: the global registry). */
  readonly registry?: Registry;
  /** Initialisation seed (default: the spec's training.seed, else 0). Layer `f` is seeded with `deriveSeed(seed, f)`. */
  readonly seed?: number;
  /** Overrides the spec's time steps T (e.g. T=1 for a quick check of a big model). */
  readonly timesteps?: number;
}

/** Everything a layer factory needs besides the plan node. */
interface Ctx {
  readonly registry: Registry;
  readonly seed: number;
  readonly timesteps: number;
  readonly surrogates: Map<string, Surrogate>;
}

function surrogateOf(n: NeuronPlan, ctx: Ctx): Surrogate {
  const key = JSON.stringify([n.surrogate.name, n.surrogate.params]);
  let s = ctx.surrogates.get(key);
  if (!s) {
    s = ctx.registry.get('surrogate', n.surrogate.name).create(n.surrogate.params);
    ctx.surrogates.set(key, s);
  }
  return s;
}

/**
 * The options object a neuron factory receives (same keys, same order as the generated code);
 * sequence neurons (PSN, see `KNOWN_CLASSES`) also get `timesteps` and, as layers of their own, `seed`.
 */
export function neuronOptions(n: NeuronPlan, surrogate: Surrogate, timesteps?: number, seed?: number): NeuronOptions {
  const sequence = KNOWN_CLASSES.neuron[n.kind]?.sequence ? { timesteps, ...(seed === undefined ? {} : { seed }) } : {};
  return { ...n.options, vth: n.vth, tau: n.tau, detachReset: n.detachReset, surrogate, ...sequence };
}

/** The `NormSpec.options` of a norm plan (channels/alpha/vth are added per layer). */
export function normOptions(n: NormPlan, timesteps: number): Record<string, unknown> {
  return { ...n.options, epsilon: n.epsilon, momentum: n.momentum, timesteps };
}

/** The sum of a layer's inputs (one input is passed through). */
const sumOf = (xs: readonly Tensor[]): Tensor => (xs.length === 1 ? (xs[0] as Tensor) : tf.addN([...xs]));

/** Instantiates one plan node (the runtime mirror of the emitter's constructor lines). */
function instantiate(node: PlanNode, ctx: Ctx): Layer {
  const f = node.field;
  const seed = deriveSeed(ctx.seed, f);
  const l = node.layer;
  const blockSpecs = (norm: NormPlan, neuron: NeuronPlan): { norm: NormSpec; neuron: NeuronSpec } => ({
    norm: { kind: norm.kind, options: normOptions(norm, ctx.timesteps) },
    neuron: { kind: neuron.kind, options: neuronOptions(neuron, surrogateOf(neuron, ctx), ctx.timesteps) },
  });
  switch (l.type) {
    case 'conv2d':
      return new Conv2d(f, { ...l.options, seed });
    case 'linear':
      return new Linear(f, { ...l.options, seed });
    case 'norm':
      return ctx.registry.get('norm', l.norm.kind).create({ ...normOptions(l.norm, ctx.timesteps), channels: l.channels, alpha: l.alpha, vth: l.vth, name: f });
    case 'neuron': {
      const spec = { kind: l.neuron.kind, options: neuronOptions(l.neuron, surrogateOf(l.neuron, ctx), ctx.timesteps, seed) };
      if (l.recurrent) return new RecurrentNeuron(f, createNeuron('neuron', spec, { registry: ctx.registry }) as NeuronLayer, { ...l.recurrent, seed });
      return createNeuron(f, spec, { registry: ctx.registry });
    }
    case 'pool':
      return new Pool(f, l.options);
    case 'globalAvgPool':
      return new GlobalAvgPool(f);
    case 'flatten':
      return new Flatten(f);
    case 'dropout':
      return new Dropout(f, { ...l.options, seed });
    case 'basic':
      return new BasicBlock(f, { ...l.options, ...blockSpecs(l.norm, l.neuron), registry: ctx.registry, seed });
    case 'bottleneck':
      return new Bottleneck(f, { ...l.options, ...blockSpecs(l.norm, l.neuron), registry: ctx.registry, seed });
    case 'sew':
      return new SewBlock(f, { ...l.options, ...blockSpecs(l.norm, l.neuron), registry: ctx.registry, seed });
    case 'ms':
      return new MsBlock(f, { ...l.options, ...blockSpecs(l.norm, l.neuron), registry: ctx.registry, seed });
    case 'spikformerPatchSplit':
      return new SpikformerPatchSplit(f, { ...l.options, ...blockSpecs(l.norm, l.neuron), registry: ctx.registry, seed });
    case 'spikformerBlock':
      return new SpikformerBlock(f, { ...l.options, ...blockSpecs(l.norm, l.neuron), registry: ctx.registry, seed });
    case 'plugin':
      return ctx.registry.get('layer', l.layerType).create({ ...l.options, name: f, seed });
  }
}

/**
 * A model built at run time from a spec: the twin of the class `emitModel` generates (same
 * children, same parameter names, same initial values for the same seed; test/twins.test.ts checks
 * it, with bitwise-equal outputs, for every example model file).
 */
export class BuiltModel extends SpikingModel {
  /** The spec it was built from. */
  readonly spec: ModelSpec;
  /** The resolved plan (fields, shapes). */
  readonly plan: ModelPlan;
  /** The input encoder, or null for event inputs that already carry T. */
  readonly encoder: Encoder | null;
  /** The readout step (membrane / rate: mean over T; tet: per-step). */
  readonly readout: Readout;
  /** The layers in forward order, by field name. */
  readonly layers: ReadonlyMap<string, Layer>;
  /** The forward pass: layers, and norms run into the neuron after them (as the generated class does). */
  private readonly steps: readonly ForwardStep[];

  constructor(spec: ModelSpec, plan: ModelPlan, ctx: Ctx) {
    super(plan.name, ctx.timesteps);
    this.spec = spec;
    this.plan = plan;
    this.encoder = plan.encoding === 'events' ? null : ctx.registry.get('encoder', plan.encoding).create({ seed: deriveSeed(ctx.seed, 'encoder'), ...plan.encoderOptions });
    const layers = new Map<string, Layer>();
    for (const node of plan.nodes) layers.set(node.field, this.addChild(node.field, instantiate(node, ctx)));
    this.layers = layers;
    this.steps = forwardSteps(plan.nodes, plan.encoding);
    this.readout = new Readout('readout', plan.readout);
  }

  /**
   * @param x static samples `[N, ...inputShape]` (encoded over T) or event frames `[T, N, ...inputShape]`
   * @returns logits `[N, classes]` (membrane, rate) or per-step outputs `[T, N, classes]` (tet)
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const where = `${this.plan.className}.forward`;
      let h = (runsFirstLayerOnce(this.steps) ? encodeInputOnce : encodeInput)(x, this.encoder, this.timesteps, this.plan.inputShape, where);
      // Graph-shaped models: every output stays addressable by field; a step sums its named inputs.
      const outputs = new Map<string, Tensor>([['input', h]]);
      for (const step of this.steps) {
        const inputs = stepInputs(step);
        if (inputs) h = sumOf(inputs.map((f) => outputs.get(f) as Tensor));
        if (step.kind === 'layer') h = this.layer(step.node).forward(h);
        else if (step.kind === 'normIntoNeuronRepeated') {
          const pool = step.pool ? this.layer(step.pool) : null;
          h = normIntoNeuronRepeated(this.layer(step.norm), this.layer(step.neuron) as NeuronLayer, h, this.timesteps, pool);
        } else if (step.kind === 'normIntoNeuron') h = normIntoNeuron(this.layer(step.norm), this.layer(step.neuron) as NeuronLayer, h);
        else h = normIntoNeuronPool(this.layer(step.norm), this.layer(step.neuron) as NeuronLayer, this.layer(step.pool), h);
        outputs.set(stepField(step), h);
      }
      return this.readout.forward(h);
    });
  }

  private layer(node: PlanNode): Layer {
    return this.layers.get(node.field) as Layer;
  }

  /** Every spiking neuron layer by dotted path, for firing-rate monitoring. */
  neuronLayers(): Map<string, NeuronLayer> {
    return neuronLayersOf(this);
  }
}

/**
 * Builds the runtime model of a (validated) spec.
 * @throws DeepSpikeError when the spec's shapes do not propagate, UnknownEntryError when an encoder,
 *   neuron, norm, surrogate or layer type is not registered (naming the plugin to install)
 */
export function buildModel(spec: ModelSpec, options: BuildModelOptions = {}): BuiltModel {
  const registry = options.registry ?? defaultRegistry;
  const plan = planModel(spec, (type) => registry.get('layer', type) as ShapeAware);
  const timesteps = options.timesteps ?? plan.timesteps;
  if (!Number.isInteger(timesteps) || timesteps < 1) throw new DeepSpikeError(messages.badTimesteps(`buildModel "${spec.name}"`, timesteps));
  return new BuiltModel(spec, plan, { registry, seed: options.seed ?? plan.seed, timesteps, surrogates: new Map() });
}
