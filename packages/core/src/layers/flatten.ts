import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';

/**
 * Flattens each sample, keeping time and batch: `[T, N, H, W, C] -> [T, N, H*W*C]` in row-major
 * (channels-last) order. Note: PyTorch's flatten of `[N, C, H, W]` orders features `C, H, W`,
 * so a Linear kernel imported from PyTorch after a flatten needs its rows permuted.
 */
export class Flatten extends Layer {
  constructor(name: string) {
    super(name);
  }

  /**
   * @param x [T, N, ...features]
   * @returns [T, N, prod(features)]
   */
  forward(x: Tensor): Tensor {
    check(x.rank >= 3, () => layerMessages.inputRank(`Flatten "${this.name}"`, x.shape, 'rank >= 3 [T, N, ...features]'));
    const [t, n] = x.shape as number[];
    return tf.reshape(x, [t as number, n as number, -1]);
  }
}
