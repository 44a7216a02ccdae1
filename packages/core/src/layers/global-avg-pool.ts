import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';

/** Mean over the spatial axes: `[T, N, H, W, C] -> [T, N, C]` (PyTorch `AdaptiveAvgPool2d(1)` + flatten). */
export class GlobalAvgPool extends Layer {
  constructor(name: string) {
    super(name);
  }

  /**
   * @param x [T, N, H, W, C] (or [N, H, W, C])
   * @returns [T, N, C] (or [N, C])
   */
  forward(x: Tensor): Tensor {
    check(x.rank === 5 || x.rank === 4, () => layerMessages.inputRank(`GlobalAvgPool "${this.name}"`, x.shape, 'rank 5 [T, N, H, W, C] (or rank 4 [N, H, W, C])'));
    return tf.mean(x, [x.rank - 3, x.rank - 2]);
  }
}
