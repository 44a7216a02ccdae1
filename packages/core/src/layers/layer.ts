import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { DeepSpikeError } from '../errors.js';
import { messages } from '../messages.js';

/** Options of {@link Layer.addParam}. */
export interface ParamOptions {
  /** Learned by the optimiser (default true); false for buffers such as running statistics. */
  readonly trainable?: boolean;
}

/**
 * Base class of every DeepSpike layer and model: named, typed parameters, named children, a
 * training flag and neuron state that can be reset. Parameter names are dotted paths through the
 * children (`stage1.block0.conv1.kernel`), the keys under which weights are saved.
 */
export abstract class Layer {
  /** The layer's name inside its parent. */
  readonly name: string;
  /** Training mode (batch statistics, running-stat updates) vs inference mode. */
  protected trainingMode = true;
  private readonly ownParams = new Map<string, Variable>();
  private readonly children = new Map<string, Layer>();

  constructor(name: string) {
    this.name = name;
  }

  /**
   * Computes the layer.
   * @param x input, usually a sequence `[T, N, ...]`
   */
  abstract forward(x: Tensor): Tensor;

  /** Whether the layer is in training mode. */
  get training(): boolean {
    return this.trainingMode;
  }

  /** Sets training or inference mode on this layer and every descendant. */
  setTraining(training: boolean): this {
    this.trainingMode = training;
    for (const c of this.children.values()) c.setTraining(training);
    return this;
  }

  /** Clears neuron state (membrane potentials) here and in every descendant. */
  resetState(): void {
    for (const c of this.children.values()) c.resetState();
  }

  /**
   * Declares a parameter owned by this layer. The initial tensor is kept (not copied).
   * @throws DeepSpikeError when the name is already used by this layer
   */
  protected addParam(name: string, initial: Tensor, options: ParamOptions = {}): Variable {
    if (this.ownParams.has(name) || this.children.has(name)) throw new DeepSpikeError(messages.duplicateParam(`${this.constructor.name} "${this.name}"`, name));
    const v = tf.variable(initial, options.trainable ?? true);
    if (v !== (initial as unknown)) initial.dispose();
    this.ownParams.set(name, v);
    return v;
  }

  /** Declares a child layer; its parameters appear under `<name>.`. */
  protected addChild<L extends Layer>(name: string, layer: L): L {
    if (this.ownParams.has(name) || this.children.has(name)) throw new DeepSpikeError(messages.duplicateParam(`${this.constructor.name} "${this.name}"`, name));
    this.children.set(name, layer);
    layer.setTraining(this.trainingMode);
    return layer;
  }

  /** Direct children, in declaration order. */
  childLayers(): ReadonlyMap<string, Layer> {
    return this.children;
  }

  /** Every parameter (trainable and buffers) of this layer and its descendants, by dotted name. */
  namedParameters(prefix = ''): Map<string, Variable> {
    const out = new Map<string, Variable>();
    for (const [n, v] of this.ownParams) out.set(prefix + n, v);
    for (const [n, c] of this.children) for (const [k, v] of c.namedParameters(`${prefix}${n}.`)) out.set(k, v);
    return out;
  }

  /** The trainable parameters, by dotted name. */
  trainableParameters(): Map<string, Variable> {
    const out = new Map<string, Variable>();
    for (const [k, v] of this.namedParameters()) if (v.trainable) out.set(k, v);
    return out;
  }

  /** Number of scalar parameters (trainable only unless `all`). */
  countParameters(all = false): number {
    let n = 0;
    for (const v of (all ? this.namedParameters() : this.trainableParameters()).values()) n += v.size;
    return n;
  }

  /** Frees every parameter of this layer and its descendants. */
  dispose(): void {
    for (const v of this.ownParams.values()) v.dispose();
    for (const c of this.children.values()) c.dispose();
  }
}
