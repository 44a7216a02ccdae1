import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import { Conv2d } from './conv2d.js';
import { createNeuron, createNorm, type FactoryOptions, type NeuronSpec, type NormSpec } from './factories.js';
import { childSeed } from './init.js';
import { layerMessages } from '../messages.js';
import { Pool } from './pool.js';
import { checkPositiveInt } from './spatial.js';
import { normIntoNeuron } from './norm-into-neuron.js';

/** Options of {@link SpikformerPatchSplit}. */
export interface SpikformerPatchSplitOptions extends FactoryOptions {
  readonly inChannels: number;
  /** Embedding channels D (divisible by 8: the stages have D/8, D/4, D/2, D channels). */
  readonly embed: number;
  /** How many of the last stages end in a 3x3/2 max pool (default 2: CIFAR's 32x32 -> 8x8 = 64 tokens; 0 to 4). */
  readonly pools?: number;
  readonly norm: NormSpec;
  readonly neuron: NeuronSpec;
  readonly seed?: number;
}

/**
 * Spiking patch splitting (SPS) of Spikformer (Zhou et al. ICLR 2023, Eqs. 11-13, the CIFAR
 * layout): four `conv3x3 -> norm -> neuron` stages to D/8, D/4, D/2, D channels, a max pool 3x3,
 * stride 2, padding 1 (PyTorch's `MaxPool2d(3, 2, 1)`) after the neuron of each of the last
 * `pools` stages, then the relative position embedding `x + SN(BN(conv3x3(x)))`.
 * Children `conv1..4`, `norm1..4`, `neuron1..4`, `rpeConv`, `rpeNorm`, `rpeNeuron`.
 */
export class SpikformerPatchSplit extends Layer {
  readonly convs: readonly Conv2d[];
  readonly norms: readonly (Layer | null)[];
  readonly neurons: readonly NeuronLayer[];
  readonly rpeConv: Conv2d;
  readonly rpeNorm: Layer | null;
  readonly rpeNeuron: NeuronLayer;
  readonly pool: Pool;
  readonly embed: number;
  readonly pools: number;

  constructor(name: string, options: SpikformerPatchSplitOptions) {
    super(name);
    const where = `SpikformerPatchSplit "${name}"`;
    const cin0 = checkPositiveInt(options.inChannels, where, 'inChannels');
    this.embed = checkPositiveInt(options.embed, where, 'embed');
    check(this.embed % 8 === 0, () => layerMessages.embedDivisible(where, this.embed));
    this.pools = options.pools ?? 2;
    check(Number.isInteger(this.pools) && this.pools >= 0 && this.pools <= 4, () => layerMessages.patchPools(where, this.pools));
    const { norm, neuron, seed } = options;
    const bias = norm.kind === 'none';
    const vth = neuron.options?.vth;
    const convs: Conv2d[] = [];
    const norms: (Layer | null)[] = [];
    const neurons: NeuronLayer[] = [];
    const stage = (suffix: string, cin: number, cout: number): [Conv2d, Layer | null, NeuronLayer] => {
      const c = this.addChild(`${suffix === 'rpe' ? 'rpeConv' : `conv${suffix}`}`, new Conv2d(suffix === 'rpe' ? 'rpeConv' : `conv${suffix}`, { inChannels: cin, filters: cout, kernel: 3, stride: 1, padding: 1, bias, seed: childSeed(seed, `conv${suffix}`) }));
      const nn = suffix === 'rpe' ? 'rpeNorm' : `norm${suffix}`;
      const made = createNorm(nn, norm, cout, 1, vth, options);
      const nl = made && this.addChild(nn, made);
      const en = suffix === 'rpe' ? 'rpeNeuron' : `neuron${suffix}`;
      return [c, nl, this.addChild(en, createNeuron(en, neuron, options))];
    };
    let cin = cin0;
    [8, 4, 2, 1].forEach((div, i) => {
      const [c, nl, ne] = stage(String(i + 1), cin, this.embed / div);
      convs.push(c);
      norms.push(nl);
      neurons.push(ne);
      cin = this.embed / div;
    });
    [this.convs, this.norms, this.neurons] = [convs, norms, neurons];
    [this.rpeConv, this.rpeNorm, this.rpeNeuron] = stage('rpe', this.embed, this.embed);
    this.pool = new Pool('pool', { mode: 'max', size: 3, stride: 2, padding: 1 });
  }

  /**
   * @param x [T, N, H, W, inChannels] the image repeated over T (or event frames)
   * @returns [T, N, H', W', embed] with H' = H halved (floor((H-1)/2)+1) `pools` times: token features
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      let h = x;
      this.convs.forEach((c, i) => {
        h = normIntoNeuron(this.norms[i] as Layer | null, this.neurons[i] as NeuronLayer, c.forward(h));
        if (i >= 4 - this.pools) h = this.pool.forward(h);
      });
      return tf.add(h, normIntoNeuron(this.rpeNorm, this.rpeNeuron, this.rpeConv.forward(h)));
    });
  }
}
