import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import type { Conv2d } from './conv2d.js';
import type { FactoryOptions, NeuronSpec, NormSpec } from './factories.js';
import { blockParts, checkBlockShape, needsProjection } from './block-parts.js';
import { normIntoNeuron } from './norm-into-neuron.js';
import { checkSewConnect, sewConnect, type SewConnect } from './sew-connect.js';

/** Options of {@link SewBlock}. */
export interface SewBlockOptions extends FactoryOptions {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels of both 3x3 convs. */
  readonly filters: number;
  /** Stride of the first conv and of the downsample shortcut (default 1). */
  readonly stride?: number;
  /** Connect function g(A, S): `add` (default), `and` or `iand`. */
  readonly connect?: SewConnect;
  /** Norm after each conv (kind `"none"` for none; the convs then get a bias). */
  readonly norm: NormSpec;
  /** Neuron after every norm. */
  readonly neuron: NeuronSpec;
  /** Use the downsample shortcut even when the shapes match (default: only when stride != 1 or channels change). */
  readonly projection?: boolean;
  /** Integer seed; child `c` is seeded with `deriveSeed(seed, c)`. */
  readonly seed?: number;
}

/**
 * The Spike-Element-Wise residual block (Fang et al. NeurIPS 2021, Fig. 1(b) and Eq. 4):
 * `A = neuron2(norm2(conv2(neuron1(norm1(conv1(x))))))`, `S = x` or, when the shape changes (or
 * `projection` is set), the spiking downsample `S = shortcutNeuron(shortcutNorm(shortcutConv_{1x1,
 * stride}(x)))`, and `out = g(A, S)` with g one of {@link sewConnect}'s ADD / AND / IAND.
 * Both branches end in spiking neurons, so the identity is kept exactly (IAND with A = 0 and ADD
 * with A = 0 give S). Every norm feeds its own neuron and nothing is summed before a neuron, so
 * every tdBN here has α = 1.
 * Children (parameter prefixes): `conv1`, `norm1`, `neuron1`, `conv2`, `norm2`, `neuron2`,
 * [`shortcutConv`, `shortcutNorm`, `shortcutNeuron`].
 */
export class SewBlock extends Layer {
  readonly conv1: Conv2d;
  readonly norm1: Layer | null;
  readonly neuron1: NeuronLayer;
  readonly conv2: Conv2d;
  readonly norm2: Layer | null;
  readonly neuron2: NeuronLayer;
  readonly shortcutConv: Conv2d | null;
  readonly shortcutNorm: Layer | null;
  readonly shortcutNeuron: NeuronLayer | null;
  readonly inChannels: number;
  readonly filters: number;
  readonly stride: number;
  readonly connect: SewConnect;

  constructor(name: string, options: SewBlockOptions) {
    super(name);
    const where = `SewBlock "${name}"`;
    ({ inChannels: this.inChannels, filters: this.filters, stride: this.stride } = checkBlockShape(options, where));
    this.connect = checkSewConnect(options.connect ?? 'add', where);
    const parts = blockParts((n, l) => this.addChild(n, l), options);
    const f = this.filters;
    this.conv1 = parts.conv('conv1', this.inChannels, f, 3, this.stride, 1);
    this.norm1 = parts.norm('norm1', f, 1);
    this.neuron1 = parts.neuron('neuron1');
    this.conv2 = parts.conv('conv2', f, f, 3, 1, 1);
    this.norm2 = parts.norm('norm2', f, 1);
    this.neuron2 = parts.neuron('neuron2');
    const project = needsProjection(options.projection, this.stride, this.inChannels, f);
    this.shortcutConv = project ? parts.conv('shortcutConv', this.inChannels, f, 1, this.stride, 0) : null;
    this.shortcutNorm = project ? parts.norm('shortcutNorm', f, 1) : null;
    this.shortcutNeuron = project ? parts.neuron('shortcutNeuron') : null;
  }

  /**
   * @param x [T, N, H, W, inChannels] spikes (ADD blocks pass on integer counts: SEW-ADD outputs are not binary)
   * @returns [T, N, ceil(H/stride), ceil(W/stride), filters] g(A, S)
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const a = normIntoNeuron(this.norm2, this.neuron2, this.conv2.forward(normIntoNeuron(this.norm1, this.neuron1, this.conv1.forward(x))));
      const s = this.shortcutConv ? normIntoNeuron(this.shortcutNorm, this.shortcutNeuron as NeuronLayer, this.shortcutConv.forward(x)) : x;
      return sewConnect(this.connect, a, s);
    });
  }
}
