/**
 * The kinds of things the registry holds, and the type of an entry of each kind.
 *
 * Core knows only its own kinds (neuron, surrogate, norm, layer, encoder: the abstractions its layers
 * and neurons are built from). A package above core adds its kinds to {@link RegistryKinds} by
 * declaration merging, with entry types of its own, so `registry.get('dataset', name)` type-checks as
 * that package's entry type wherever it is imported:
 *
 * ```ts
 * declare module '@deepspike/core' {
 *   interface RegistryKinds { dataset: DatasetEntry }
 * }
 * ```
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from '../layers/layer.js';

/** Fields every registry entry may carry. */
export interface EntryBase {
  /** One sentence for `deepspike` listings and error messages. */
  readonly description?: string;
}

/**
 * A surrogate gradient function: the pair primitive g / derivative g' of SpikingJelly.
 * The spike's forward is always Heaviside `H(x) = x >= 0 ? 1 : 0`; its backward is `dy * g'(x)`.
 */
export interface Surrogate {
  /** Registered lower-kebab name, e.g. `"rect"`. */
  readonly name: string;
  /** The parameters the function was built with (after defaults), e.g. `{alpha: 1}`. */
  readonly params: Readonly<Record<string, number>>;
  /** g'(x), the surrogate derivative of the spike with respect to `x = u - Vth`. */
  derivative(x: number): number;
  /** g(x), the smooth function whose derivative is g' (absent where the family defines none). */
  primitive?(x: number): number;
  /**
   * g' elementwise in tf.js ops (float32, x's shape), where the family provides it: backends without
   * DeepSpike's `DeepSpikeSurrogateGrad` kernel (tensorflow, webgl, webgpu) then stay on the device
   * instead of reading x back to run `derivative`.
   */
  derivativeOps?(x: Tensor): Tensor;
}

/** Builds a surrogate from its parameters (missing ones take the family's defaults). */
export interface SurrogateEntry extends EntryBase {
  create(params?: Readonly<Record<string, number>>): Surrogate;
}

/** Options every neuron factory understands; factories may accept more. */
export interface NeuronOptions {
  /** Firing threshold Vth (> 0). */
  readonly vth?: number;
  /** Membrane decay factor tau in [0, 1) of `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`. */
  readonly tau?: number;
  /** Surrogate used for the spike's gradient. */
  readonly surrogate?: Surrogate;
  /** Treat the reset factor (1 - o[t-1]) as a constant in the backward pass. Default false. */
  readonly detachReset?: boolean;
  readonly [option: string]: unknown;
}

/** Builds a spiking neuron layer (input `[T, N, ...]` currents, output `[T, N, ...]` spikes). */
export interface NeuronEntry extends EntryBase {
  create(options: NeuronOptions): Layer;
}

/** Options every normalisation factory understands. */
export interface NormOptions {
  /** Number of channels (the last axis). */
  readonly channels: number;
  /** tdBN's alpha: 1 on a plain path, 1/sqrt(2) on each branch of a residual add. */
  readonly alpha?: number;
  /** The threshold of the neurons the normalised currents feed. */
  readonly vth?: number;
  /** Variance epsilon. */
  readonly epsilon?: number;
  /** Running-statistics momentum. */
  readonly momentum?: number;
  /** Number of time steps (needed by per-step norms such as BNTT and TEBN). */
  readonly timesteps?: number;
  readonly [option: string]: unknown;
}

/** Builds a normalisation layer working on `[T, N, ..., C]` sequences. */
export interface NormEntry extends EntryBase {
  create(options: NormOptions): Layer;
}

/** Builds a layer from DSL options (a plugin's custom layer type, or a built-in one). */
export interface LayerEntry extends EntryBase {
  create(options: Readonly<Record<string, unknown>>): Layer;
}

/** Turns a static input `[N, ...]` into a sequence `[T, N, ...]` the network consumes. */
export interface Encoder {
  readonly name: string;
  /** @param x [N, ...] static input; @returns [T, N, ...] */
  encode(x: Tensor, timesteps: number): Tensor;
  /**
   * Only for encoders whose T steps are all equal (direct encoding): the one step `[1, N, ...]`
   * that `encode` repeats, so a model can run its first, per-step layer once instead of on T copies
   * (see core's `encodeInputOnce` and `normIntoNeuronRepeated`).
   */
  encodeOnce?(x: Tensor): Tensor;
}

/** Builds an input encoder. */
export interface EncoderEntry extends EntryBase {
  create(options?: Readonly<Record<string, unknown>>): Encoder;
}

/** Kind name -> entry type: core's kinds; packages above add theirs (declaration merging). */
export interface RegistryKinds {
  neuron: NeuronEntry;
  surrogate: SurrogateEntry;
  norm: NormEntry;
  layer: LayerEntry;
  encoder: EncoderEntry;
}

/** One of the registry's kinds whose entry type is known where this is compiled. */
export type RegistryKind = keyof RegistryKinds;

/**
 * The name of a kind, typed or not: what kind-generic code (listings, the DSL's name checks, schema
 * fragments) takes, since it handles kinds whose packages it does not import.
 */
export type KindName = RegistryKind | (string & {});

/**
 * Every kind the registry holds at run time, in a stable order: a vocabulary of names (kinds of the
 * packages above core included, so a plugin can register a dataset before `@deepspike/datasets` is
 * loaded, and a typo is still refused); their entry types live with the packages that own them.
 */
export const REGISTRY_KINDS: readonly string[] = [
  'neuron',
  'surrogate',
  'norm',
  'layer',
  'encoder',
  'dataset',
  'loss',
  'optimizer',
  'schedule',
  'target',
];
