import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import type { Conv2d } from './conv2d.js';
import type { FactoryOptions, NeuronSpec, NormSpec } from './factories.js';
import { RESIDUAL_ALPHA, blockParts, needsProjection } from './block-parts.js';
import { checkPositiveInt } from './spatial.js';
import { normIntoNeuron } from './norm-into-neuron.js';
import { shortcut } from './shortcut.js';

/** Options of {@link Bottleneck}. */
export interface BottleneckOptions extends FactoryOptions {
  /** Input channels. */
  readonly inChannels: number;
  /** Width of the 1x1 and 3x3 convs; the block outputs `planes * expansion` channels. */
  readonly planes: number;
  /** Output channels = planes * expansion (default 4, ResNet-50). */
  readonly expansion?: number;
  /** Stride of the 3x3 conv and of the projection shortcut (default 1; ResNet v1.5 places it on the 3x3). */
  readonly stride?: number;
  /** Norm after each conv (kind `"none"` for none; the convs then get a bias). */
  readonly norm: NormSpec;
  /** Neuron after norm1, norm2 and the add. */
  readonly neuron: NeuronSpec;
  /** Use a 1x1 conv + norm shortcut even when the shapes match. */
  readonly projection?: boolean;
  /** alpha of the norms whose outputs are summed (default 1/sqrt(2)). */
  readonly residualAlpha?: number;
  /** Integer seed; child `c` is seeded with `deriveSeed(seed, c)`. */
  readonly seed?: number;
}

/**
 * Spiking bottleneck block of ResNet-50 (torchvision v1.5 layout, tdBN alphas as in the basic block):
 * `conv1 1x1 -> norm1(α=1) -> neuron1 -> conv2 3x3/stride -> norm2(α=1) -> neuron2 -> conv3 1x1
 * -> norm3(α=1/√2)`, plus the shortcut (identity, or `shortcutConv 1x1/stride -> shortcutNorm(α=1/√2)`
 * when the shape changes), add, `neuron3`. Output channels `planes * expansion`.
 */
export class Bottleneck extends Layer {
  readonly conv1: Conv2d;
  readonly norm1: Layer | null;
  readonly neuron1: NeuronLayer;
  readonly conv2: Conv2d;
  readonly norm2: Layer | null;
  readonly neuron2: NeuronLayer;
  readonly conv3: Conv2d;
  readonly norm3: Layer | null;
  readonly shortcutConv: Conv2d | null;
  readonly shortcutNorm: Layer | null;
  readonly neuron3: NeuronLayer;
  readonly inChannels: number;
  readonly planes: number;
  readonly outChannels: number;
  readonly stride: number;

  constructor(name: string, options: BottleneckOptions) {
    super(name);
    const where = `Bottleneck "${name}"`;
    this.inChannels = checkPositiveInt(options.inChannels, where, 'inChannels');
    this.planes = checkPositiveInt(options.planes, where, 'planes');
    this.outChannels = this.planes * checkPositiveInt(options.expansion ?? 4, where, 'expansion');
    this.stride = checkPositiveInt(options.stride ?? 1, where, 'stride');
    const alpha = options.residualAlpha ?? RESIDUAL_ALPHA;
    const parts = blockParts((n, l) => this.addChild(n, l), options);
    const { planes, outChannels } = this;
    this.conv1 = parts.conv('conv1', this.inChannels, planes, 1, 1, 0);
    this.norm1 = parts.norm('norm1', planes, 1);
    this.neuron1 = parts.neuron('neuron1');
    this.conv2 = parts.conv('conv2', planes, planes, 3, this.stride, 1);
    this.norm2 = parts.norm('norm2', planes, 1);
    this.neuron2 = parts.neuron('neuron2');
    this.conv3 = parts.conv('conv3', planes, outChannels, 1, 1, 0);
    this.norm3 = parts.norm('norm3', outChannels, alpha);
    const project = needsProjection(options.projection, this.stride, this.inChannels, outChannels);
    this.shortcutConv = project ? parts.conv('shortcutConv', this.inChannels, outChannels, 1, this.stride, 0) : null;
    this.shortcutNorm = project ? parts.norm('shortcutNorm', outChannels, alpha) : null;
    this.neuron3 = parts.neuron('neuron3');
  }

  /**
   * @param x [T, N, H, W, inChannels]
   * @returns [T, N, ceil(H/stride), ceil(W/stride), planes*expansion] spikes
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      let h = normIntoNeuron(this.norm1, this.neuron1, this.conv1.forward(x));
      h = normIntoNeuron(this.norm2, this.neuron2, this.conv2.forward(h));
      h = this.conv3.forward(h);
      return normIntoNeuron(this.norm3, this.neuron3, h, shortcut(x, this.shortcutConv, this.shortcutNorm));
    });
  }
}
