import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { childSeed, kaimingUniform } from './init.js';
import { layerMessages } from '../messages.js';
import { deterministicGranule } from '../distributed/deterministic-reduction.js';
import { treeReducedBiasAdd, treeReducedConv2d } from '../ops/tree-reduced.js';
import { checkPadding, checkPositiveInt, onImages, toPair, type Padding, type Size2 } from './spatial.js';

/** Options of {@link Conv2d}. */
export interface Conv2dOptions {
  /** Input channels C_in (the last axis of the input). */
  readonly inChannels: number;
  /** Output channels C_out. */
  readonly filters: number;
  /** Kernel size `k` or `[kh, kw]`. */
  readonly kernel: Size2;
  /** Stride (default 1). */
  readonly stride?: Size2;
  /** Padding (default `"same"`); a number `p` pads p zeros on each side, as PyTorch's `padding=p`. */
  readonly padding?: Padding;
  /** Learn a bias per output channel (default true, as PyTorch; set false before a norm). */
  readonly bias?: boolean;
  /** Integer seed of the initialisation (kernel seed `deriveSeed(seed, "kernel")`, bias `"bias"`); unseeded when absent. */
  readonly seed?: number;
}

/**
 * 2-D convolution on every time step at once (the merged `[T*N, H, W, C]` view):
 * `y[t, n] = conv2d(x[t, n], kernel) + bias`. Parameters: `kernel` `[kh, kw, cin, cout]` and
 * `bias` `[cout]`, initialised as PyTorch's `nn.Conv2d` (Kaiming-uniform, bound `1/sqrt(kh*kw*cin)`).
 * Under deterministic reductions (`setDeterministicReduction`) a `[T, N, H, W, C]` input's kernel and
 * bias gradients are summed over sample blocks in a fixed tree.
 */
export class Conv2d extends Layer {
  /** `[kh, kw, cin, cout]`. */
  readonly kernel: Variable;
  /** `[cout]`, or null without bias. */
  readonly bias: Variable | null;
  readonly inChannels: number;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding;

  constructor(name: string, options: Conv2dOptions) {
    super(name);
    const where = `Conv2d "${name}"`;
    this.inChannels = checkPositiveInt(options.inChannels, where, 'inChannels');
    this.filters = checkPositiveInt(options.filters, where, 'filters');
    this.kernelSize = toPair(options.kernel, where, 'kernel');
    this.stride = toPair(options.stride ?? 1, where, 'stride');
    this.padding = checkPadding(options.padding ?? 'same', where);
    const [kh, kw] = this.kernelSize;
    const fanIn = kh * kw * this.inChannels;
    this.kernel = this.addParam('kernel', kaimingUniform([kh, kw, this.inChannels, this.filters], fanIn, childSeed(options.seed, 'kernel')));
    this.bias = options.bias ?? true ? this.addParam('bias', kaimingUniform([this.filters], fanIn, childSeed(options.seed, 'bias'))) : null;
  }

  /**
   * @param x [T, N, H, W, cin] (or [N, H, W, cin])
   * @returns [T, N, H', W', cout] with H' per {@link outputSize}
   */
  forward(x: Tensor): Tensor {
    const where = `Conv2d "${this.name}"`;
    const c = x.shape[x.rank - 1] as number;
    check(x.rank < 4 || c === this.inChannels, () => layerMessages.inputFeatures(where, x.shape, c, this.inChannels, 'channels'));
    const granule = deterministicGranule();
    if (granule !== null && x.rank === 5) {
      const tree = { steps: x.shape[0] as number, granule };
      const y = onImages(x, where, (x4) => treeReducedConv2d(x4, this.kernel, this.stride, this.padding, tree));
      return this.bias ? treeReducedBiasAdd(y, this.bias, granule) : y;
    }
    return onImages(x, where, (x4) => {
      const y = tf.conv2d(x4, this.kernel as unknown as tf.Tensor4D, this.stride, this.padding);
      return this.bias ? tf.add(y, this.bias) : y;
    });
  }
}
