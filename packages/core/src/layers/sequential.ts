import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';

/**
 * Runs its layers one after the other. Each child keeps its own name, so parameters are named
 * `<sequential>.<child>.<param>`.
 */
export class Sequential extends Layer {
  /** The layers, in order. */
  readonly layers: readonly Layer[];

  /** @param layers children, each registered under its own `name` (names must be unique) */
  constructor(name: string, layers: readonly Layer[]) {
    super(name);
    check(layers.length > 0, () => layerMessages.emptySequential(`Sequential "${name}"`));
    this.layers = layers.map((l) => this.addChild(l.name, l));
  }

  /**
   * @param x [T, N, ...] the first layer's input
   * @returns the last layer's output
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => this.layers.reduce((h, l) => l.forward(h), x));
  }
}
