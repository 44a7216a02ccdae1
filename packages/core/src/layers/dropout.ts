import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Drop probability p in [0, 1). */
  readonly rate: number;
  /** Integer seed: call k of `forward` in training uses seed `seed + k`; unseeded when absent. */
  readonly seed?: number;
}

/**
 * Inverted dropout for spike sequences. In training each unit of each sample is kept with
 * probability `1 - p` and scaled by `1/(1 - p)`; the mask is drawn ONCE per forward and shared by
 * every time step (shape `[1, N, ...]`), as SpikingJelly's `layer.Dropout` does: a neuron that is
 * dropped stays dropped for the whole sequence, instead of flickering and injecting noise into the
 * membrane dynamics. Identity in inference mode.
 */
export class Dropout extends Layer {
  readonly rate: number;
  private readonly seed: number | undefined;
  private calls = 0;

  constructor(name: string, options: DropoutOptions) {
    super(name);
    check(typeof options.rate === 'number' && options.rate >= 0 && options.rate < 1, () => layerMessages.rate(`Dropout "${name}"`, options.rate));
    this.rate = options.rate;
    this.seed = options.seed;
  }

  /**
   * @param x [T, N, ...]
   * @returns [T, N, ...] (x itself in inference mode or with rate 0)
   */
  forward(x: Tensor): Tensor {
    check(x.rank >= 2, () => layerMessages.inputRank(`Dropout "${this.name}"`, x.shape, 'rank >= 2 [T, N, ...]'));
    if (!this.training || this.rate === 0) return x;
    const seed = this.seed === undefined ? undefined : this.seed + this.calls;
    this.calls++;
    return tf.tidy(() => {
      const u = tf.randomUniform([1, ...x.shape.slice(1)], 0, 1, 'float32', seed);
      const mask = tf.div(tf.cast(tf.greaterEqual(u, this.rate), 'float32'), 1 - this.rate);
      return tf.mul(x, mask);
    });
  }
}
