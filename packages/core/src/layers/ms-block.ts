import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import type { Conv2d } from './conv2d.js';
import type { FactoryOptions, NeuronSpec, NormSpec } from './factories.js';
import { RESIDUAL_ALPHA, blockParts, checkBlockShape, needsProjection } from './block-parts.js';
import { normIntoNeuron } from './norm-into-neuron.js';
import { shortcut } from './shortcut.js';

/** Options of {@link MsBlock}. */
export interface MsBlockOptions extends FactoryOptions {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels of both 3x3 convs. */
  readonly filters: number;
  /** Stride of the first conv and of the projection shortcut (default 1). */
  readonly stride?: number;
  /** Norm after each conv (kind `"none"` for none; the convs then get a bias). */
  readonly norm: NormSpec;
  /** Neuron before each conv. */
  readonly neuron: NeuronSpec;
  /** Use a 1x1 conv + norm shortcut even when the shapes match (default: only when stride != 1 or channels change). */
  readonly projection?: boolean;
  /** alpha of the norms whose outputs are summed (default 1/sqrt(2)). */
  readonly residualAlpha?: number;
  /** Integer seed; child `c` is seeded with `deriveSeed(seed, c)`. */
  readonly seed?: number;
}

/**
 * The membrane-shortcut residual block of MS-ResNet (Hu et al., "Advancing Spiking Neural Networks
 * towards Deep Residual Learning", Fig. 2(c)): neuron → conv → norm, twice, and the shortcut adds
 * the block's real-valued input (the membrane potentials / pre-spike currents), not spikes:
 * `out = norm2_{α}(conv2(neuron2(norm1_{α=1}(conv1(neuron1(x)))))) + shortcut(x)`, with
 * `shortcut(x) = x` or, when the shape changes (or `projection` is set),
 * `shortcutNorm_{α}(shortcutConv_{1x1, stride}(x))` on the same real values (as the authors' code).
 * The output is a current for the next block's first neuron; a model ends the chain with a neuron.
 * Children (parameter prefixes): `neuron1`, `conv1`, `norm1`, `neuron2`, `conv2`, `norm2`,
 * [`shortcutConv`, `shortcutNorm`].
 */
export class MsBlock extends Layer {
  readonly neuron1: NeuronLayer;
  readonly conv1: Conv2d;
  readonly norm1: Layer | null;
  readonly neuron2: NeuronLayer;
  readonly conv2: Conv2d;
  readonly norm2: Layer | null;
  readonly shortcutConv: Conv2d | null;
  readonly shortcutNorm: Layer | null;
  readonly inChannels: number;
  readonly filters: number;
  readonly stride: number;

  constructor(name: string, options: MsBlockOptions) {
    super(name);
    ({ inChannels: this.inChannels, filters: this.filters, stride: this.stride } = checkBlockShape(options, `MsBlock "${name}"`));
    const alpha = options.residualAlpha ?? RESIDUAL_ALPHA;
    const parts = blockParts((n, l) => this.addChild(n, l), options);
    const f = this.filters;
    this.neuron1 = parts.neuron('neuron1');
    this.conv1 = parts.conv('conv1', this.inChannels, f, 3, this.stride, 1);
    this.norm1 = parts.norm('norm1', f, 1);
    this.neuron2 = parts.neuron('neuron2');
    this.conv2 = parts.conv('conv2', f, f, 3, 1, 1);
    this.norm2 = parts.norm('norm2', f, alpha);
    const project = needsProjection(options.projection, this.stride, this.inChannels, f);
    this.shortcutConv = project ? parts.conv('shortcutConv', this.inChannels, f, 1, this.stride, 0) : null;
    this.shortcutNorm = project ? parts.norm('shortcutNorm', f, alpha) : null;
  }

  /**
   * @param x [T, N, H, W, inChannels] currents (membrane inputs)
   * @returns [T, N, ceil(H/stride), ceil(W/stride), filters] currents
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      // norm1 runs fused into neuron2 where the backend can (same values as norm, then neuron)
      let h = this.conv2.forward(normIntoNeuron(this.norm1, this.neuron2, this.conv1.forward(this.neuron1.forward(x))));
      if (this.norm2) h = this.norm2.forward(h);
      return tf.add(h, shortcut(x, this.shortcutConv, this.shortcutNorm));
    });
  }
}
