import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { childSeed, kaimingUniform } from './init.js';
import { layerMessages } from '../messages.js';
import { checkPositiveInt } from './spatial.js';
import { deterministicGranule } from '../distributed/deterministic-reduction.js';
import { treeReducedLinear } from '../ops/tree-reduced.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Input features (the last axis of the input). */
  readonly inFeatures: number;
  /** Output features. */
  readonly units: number;
  /** Learn a bias (default true). */
  readonly bias?: boolean;
  /** Integer seed of the initialisation; unseeded when absent. */
  readonly seed?: number;
}

/**
 * Fully connected layer on the last axis, every time step at once: `y = x·kernel + bias`.
 * Parameters `kernel` `[in, out]` and `bias` `[out]`, initialised as PyTorch's `nn.Linear`
 * (uniform, bound `1/sqrt(in)`). Under deterministic reductions (`setDeterministicReduction`) a
 * `[T, N, in]` input's weight and bias gradients are summed over sample blocks in a fixed tree.
 */
export class Linear extends Layer {
  /** `[in, out]`. */
  readonly kernel: Variable;
  /** `[out]`, or null. */
  readonly bias: Variable | null;
  readonly inFeatures: number;
  readonly units: number;

  constructor(name: string, options: LinearOptions) {
    super(name);
    const where = `Linear "${name}"`;
    this.inFeatures = checkPositiveInt(options.inFeatures, where, 'inFeatures');
    this.units = checkPositiveInt(options.units, where, 'units');
    this.kernel = this.addParam('kernel', kaimingUniform([this.inFeatures, this.units], this.inFeatures, childSeed(options.seed, 'kernel')));
    this.bias = options.bias ?? true ? this.addParam('bias', kaimingUniform([this.units], this.inFeatures, childSeed(options.seed, 'bias'))) : null;
  }

  /**
   * @param x [T, N, in] (any leading axes)
   * @returns [T, N, out]
   */
  forward(x: Tensor): Tensor {
    const where = `Linear "${this.name}"`;
    check(x.rank >= 2, () => layerMessages.inputRank(where, x.shape, 'rank >= 2, e.g. [T, N, features]'));
    const f = x.shape[x.rank - 1] as number;
    check(f === this.inFeatures, () => layerMessages.inputFeatures(where, x.shape, f, this.inFeatures, 'features'));
    const granule = deterministicGranule();
    if (granule !== null && x.rank === 3) return treeReducedLinear(x, this.kernel, this.bias, granule);
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      let y = tf.matMul(tf.reshape(x, [-1, this.inFeatures]), this.kernel);
      if (this.bias) y = tf.add(y, this.bias);
      return tf.reshape(y, [...lead, this.units]);
    });
  }
}
