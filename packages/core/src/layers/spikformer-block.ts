import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { FactoryOptions, NeuronSpec, NormSpec } from './factories.js';
import { childSeed } from './init.js';
import { checkPositiveInt } from './spatial.js';
import { SpikingMlp } from './spiking-mlp.js';
import { SpikingSelfAttention } from './spiking-self-attention.js';

/** Options of {@link SpikformerBlock}. */
export interface SpikformerBlockOptions extends FactoryOptions {
  /** Embedding channels D. */
  readonly channels: number;
  /** Attention heads (D divisible by it). */
  readonly heads: number;
  /** MLP hidden channels = mlpRatio·D (default 4). */
  readonly mlpRatio?: number;
  /** s of Q·Kᵀ·V·s (default 0.125). */
  readonly scale?: number;
  /** Threshold of the attention neuron (default half the neuron's vth). */
  readonly attentionVth?: number;
  readonly norm: NormSpec;
  readonly neuron: NeuronSpec;
  readonly seed?: number;
}

/**
 * A Spikformer encoder block (Zhou et al. ICLR 2023, Eqs. 18-19): `X' = X + SSA(X)`,
 * `X'' = X' + MLP(X')`, on `[T, N, H, W, D]` (tokens = pixels). Children `attention`
 * ({@link SpikingSelfAttention}) and `mlp` ({@link SpikingMlp}).
 */
export class SpikformerBlock extends Layer {
  readonly attention: SpikingSelfAttention;
  readonly mlp: SpikingMlp;

  constructor(name: string, options: SpikformerBlockOptions) {
    super(name);
    const where = `SpikformerBlock "${name}"`;
    const d = checkPositiveInt(options.channels, where, 'channels');
    const ratio = checkPositiveInt(options.mlpRatio ?? 4, where, 'mlpRatio');
    this.attention = this.addChild('attention', new SpikingSelfAttention('attention', { ...options, seed: childSeed(options.seed, 'attention') }));
    this.mlp = this.addChild('mlp', new SpikingMlp('mlp', { ...options, channels: d, hidden: d * ratio, seed: childSeed(options.seed, 'mlp') }));
  }

  /** @param x [T, N, H, W, D] @returns [T, N, H, W, D] (sums of spikes: the residual adds are not re-spiked, as in the paper) */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.attention.forward(x));
      return tf.add(h, this.mlp.forward(h));
    });
  }
}
