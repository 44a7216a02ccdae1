import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import { Conv2d } from './conv2d.js';
import { createNeuron, createNorm, type FactoryOptions, type NeuronSpec, type NormSpec } from './factories.js';
import { childSeed } from './init.js';
import { checkPositiveInt } from './spatial.js';
import { normIntoNeuron } from './norm-into-neuron.js';
import { shortcut } from './shortcut.js';

/** alpha of tdBN on each of the two branches summed by a residual add (the paper's 1/sqrt(2)). */
export const RESIDUAL_ALPHA = Math.SQRT1_2;

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
    const where = `BasicBlock "${name}"`;
    this.inChannels = checkPositiveInt(options.inChannels, where, 'inChannels');
    this.filters = checkPositiveInt(options.filters, where, 'filters');
    this.stride = checkPositiveInt(options.stride ?? 1, where, 'stride');
    const { norm, neuron, seed } = options;
    const alpha = options.residualAlpha ?? RESIDUAL_ALPHA;
    const vth = neuron.options?.vth;
    const bias = norm.kind === 'none';
    const conv = (n: string, cin: number, k: number, stride: number, padding: number): Conv2d =>
      this.addChild(n, new Conv2d(n, { inChannels: cin, filters: this.filters, kernel: k, stride, padding, bias, seed: childSeed(seed, n) }));
    const normOf = (n: string, a: number): Layer | null => {
      const l = createNorm(n, norm, this.filters, a, vth, options);
      return l && this.addChild(n, l);
    };
    this.conv1 = conv('conv1', this.inChannels, 3, this.stride, 1);
    this.norm1 = normOf('norm1', 1);
    this.neuron1 = this.addChild('neuron1', createNeuron('neuron1', neuron, options));
    this.conv2 = conv('conv2', this.filters, 3, 1, 1);
    this.norm2 = normOf('norm2', alpha);
    const project = options.projection === true || this.stride !== 1 || this.inChannels !== this.filters;
    this.shortcutConv = project ? conv('shortcutConv', this.inChannels, 1, this.stride, 0) : null;
    this.shortcutNorm = project ? normOf('shortcutNorm', alpha) : null;
    this.neuron2 = this.addChild('neuron2', createNeuron('neuron2', neuron, options));
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
