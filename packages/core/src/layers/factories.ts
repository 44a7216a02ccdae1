import { check } from '../errors.js';
import type { NeuronOptions, NormOptions } from '../registry/kinds.js';
import { registry as defaultRegistry, type Registry } from '../registry/registry.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';
import { isNeuronLayer } from './neuron-layers.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';

/** A normalisation chosen by registered name (kind `norm`), e.g. `{kind: "tdbn"}`; `"none"` means no norm. */
export interface NormSpec {
  /** Registered norm name (`tdbn`, `bn`, `bntt`, `tebn`, a plugin's) or `"none"`. */
  readonly kind: string;
  /** Extra options for the factory (epsilon, momentum, timesteps, ...); channels/alpha/vth are set by the block. */
  readonly options?: Partial<NormOptions>;
}

/** A spiking neuron chosen by registered name (kind `neuron`), e.g. `{kind: "lif", options: {vth: 0.5, tau: 0.25}}`. */
export interface NeuronSpec {
  /** Registered neuron name (`lif`, `if`, `plif`, a plugin's). */
  readonly kind: string;
  /** Factory options (vth, tau, surrogate object, detachReset, ...). */
  readonly options?: NeuronOptions;
}

/** Where blocks get their norms and neurons from: the registry (default: the global one). */
export interface FactoryOptions {
  readonly registry?: Registry;
}

function asLayer(made: unknown, where: string, kind: string): Layer {
  check(made instanceof Layer, () => layerMessages.unknownNeuronLayer(where, kind, made === null ? 'null' : typeof made));
  return made;
}

/**
 * Builds a norm layer from the registry: `registry.get('norm', spec.kind).create({...spec.options,
 * channels, alpha, vth, name})`, or null for kind `"none"`.
 * @param channels normalised channels (the last axis)
 * @param alpha tdBN's alpha (1 on a plain path, 1/sqrt(2) on a residual branch)
 * @param vth the threshold of the neurons fed by the norm
 */
export function createNorm(name: string, spec: NormSpec, channels: number, alpha: number, vth: number | undefined, options: FactoryOptions = {}): Layer | null {
  if (spec.kind === 'none') return null;
  const reg = options.registry ?? defaultRegistry;
  const made = reg.get('norm', spec.kind).create({ ...spec.options, channels, alpha, ...(vth === undefined ? {} : { vth }), name });
  return asLayer(made, `norm "${name}"`, spec.kind);
}

/**
 * Builds a neuron layer from the registry: `registry.get('neuron', spec.kind).create({...spec.options, name})`.
 * @throws InvalidArgumentError when the entry does not return a NeuronLayer (firing-rate monitors need one)
 */
export function createNeuron(name: string, spec: NeuronSpec, options: FactoryOptions = {}): NeuronLayer {
  const reg = options.registry ?? defaultRegistry;
  const made = asLayer(reg.get('neuron', spec.kind).create({ ...spec.options, name }), `neuron "${name}"`, spec.kind);
  check(isNeuronLayer(made), () => layerMessages.notNeuronLayer(`neuron "${name}"`, spec.kind, made.constructor.name));
  return made;
}

/**
 * Narrows a registry-made layer to the class a generated model declares for it (e.g. `TdBN` for
 * norm kind `tdbn`), checking it at run time.
 * @throws InvalidArgumentError naming both classes when the registry returned another class
 */
export function asLayerClass<T extends Layer>(made: Layer, cls: abstract new (...args: never[]) => T, where = made.name): T {
  check(made instanceof cls, () => layerMessages.wrongLayerClass(where, cls.name, made.constructor.name));
  return made as T;
}
