import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { assertSequence, mergeTime, splitTime } from '../layout/sequence.js';
import { Layer } from './layer.js';

/**
 * Runs a stateless layer (conv, pool, linear, ...) on every time step at once through the merged
 * `[T*N, ...]` view, the SpikingJelly `SeqToANNContainer` pattern.
 */
export class SeqToANN<L extends Layer = Layer> extends Layer {
  /** The wrapped stateless layer. */
  readonly inner: L;

  constructor(name: string, inner: L) {
    super(name);
    this.inner = this.addChild('inner', inner);
  }

  /**
   * @param x [T, N, ...in]
   * @returns [T, N, ...out]
   */
  forward(x: Tensor): Tensor {
    assertSequence(x, `SeqToANN "${this.name}"`);
    const t = x.shape[0] as number;
    return tf.tidy(() => splitTime(this.inner.forward(mergeTime(x)), t));
  }
}
