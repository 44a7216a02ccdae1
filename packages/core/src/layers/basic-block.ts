import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import type { Conv2d } from './conv2d.js';
import type { FactoryOptions, NeuronSpec, NormSpec } from './factories.js';
import { RESIDUAL_ALPHA, blockParts, checkBlockShape, needsProjection } from './block-parts.js';
import { normIntoNeuron } from './norm-into-neuron.js';
import { shortcut } from './shortcut.js';

export { RESIDUAL_ALPHA };

/** Options of {@link BasicBlock}. */
export interface BasicBlockOptions extends FactoryOptions {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels of both 3x3 convs. */
  readonly filters: number;
  /** Stride of the first conv and of the projection shortcut (default 1). */
  readonly stride?: number;
  /** Norm after each conv (kind `"none"` for none; the convs then get a bias). */
  readonly norm: NormSpec;
  /** Neuron after the first norm and after the add. */
  readonly neuron: NeuronSpec;
  /** Use a 1x1 conv + norm shortcut even when the shapes match (default: only when stride != 1 or channels change). */
  readonly projection?: boolean;
  /** alpha of the norms whose outputs are summed (default 1/sqrt(2)). */
  readonly residualAlpha?: number;
  /** Integer seed; child `c` is seeded with `deriveSeed(seed, c)`. */
  readonly seed?: number;
}

/**
 * The paper's spiking basic block (Zheng et al. 2021, Fig. 3):
 * `out = neuron2( norm2_{α=1/√2}(conv2( neuron1(norm1_{α=1}(conv1(x))) )) + shortcut(x) )`,
 * convs 3x3 with padding 1 (the first strided), and `shortcut(x) = x` or, when the shape changes
 * (or `projection` is set), `shortcutNorm_{α=1/√2}(shortcutConv_{1x1, stride}(x))`.
 * Children (parameter prefixes): `conv1`, `norm1`, `neuron1`, `conv2`, `norm2`, [`shortcutConv`,
 * `shortcutNorm`], `neuron2`. Norms and neurons come from the registry (kinds `norm`, `neuron`).
 */
export class BasicBlock extends Layer {
  readonly conv1: Conv2d;
  readonly norm1: Layer | null;
  readonly neuron1: NeuronLayer;
  readonly conv2: Conv2d;
  readonly norm2: Layer | null;
  readonly shortcutConv: Conv2d | null;
  readonly shortcutNorm: Layer | null;
  readonly neuron2: NeuronLayer;
  readonly inChannels: number;
  readonly filters: number;
  readonly stride: number;

  constructor(name: string, options: BasicBlockOptions) {
    super(name);
    ({ inChannels: this.inChannels, filters: this.filters, stride: this.stride } = checkBlockShape(options, `BasicBlock "${name}"`));
    const alpha = options.residualAlpha ?? RESIDUAL_ALPHA;
    const parts = blockParts((n, l) => this.addChild(n, l), options);
    const f = this.filters;
    this.conv1 = parts.conv('conv1', this.inChannels, f, 3, this.stride, 1);
    this.norm1 = parts.norm('norm1', f, 1);
    this.neuron1 = parts.neuron('neuron1');
    this.conv2 = parts.conv('conv2', f, f, 3, 1, 1);
    this.norm2 = parts.norm('norm2', f, alpha);
    const project = needsProjection(options.projection, this.stride, this.inChannels, f);
    this.shortcutConv = project ? parts.conv('shortcutConv', this.inChannels, f, 1, this.stride, 0) : null;
    this.shortcutNorm = project ? parts.norm('shortcutNorm', f, alpha) : null;
    this.neuron2 = parts.neuron('neuron2');
  }

  /**
   * @param x [T, N, H, W, inChannels] spikes (or currents)
   * @returns [T, N, ceil(H/stride), ceil(W/stride), filters] spikes
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      let h = normIntoNeuron(this.norm1, this.neuron1, this.conv1.forward(x));
      h = this.conv2.forward(h);
      return normIntoNeuron(this.norm2, this.neuron2, h, shortcut(x, this.shortcutConv, this.shortcutNorm));
    });
  }
}
