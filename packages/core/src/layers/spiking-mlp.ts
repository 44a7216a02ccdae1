import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import type { FactoryOptions, NeuronSpec, NormSpec } from './factories.js';
import { checkPositiveInt } from './spatial.js';
import { addTokenMap, runTokenMap, type TokenMap } from './spiking-self-attention.js';

/** Options of {@link SpikingMlp}. */
export interface SpikingMlpOptions extends FactoryOptions {
  /** Embedding channels D. */
  readonly channels: number;
  /** Hidden channels (Spikformer: 4·D). */
  readonly hidden: number;
  readonly norm: NormSpec;
  readonly neuron: NeuronSpec;
  readonly seed?: number;
}

/**
 * Spikformer's MLP block (Zhou et al. 2023, Eq. 19): `SN(BN(Linear(SN(BN(Linear(x))))))`, both
 * linear maps token-wise (D -> hidden -> D). Children `fc1`, `fc1Norm`, `fc1Neuron`, `fc2`, `fc2Norm`, `fc2Neuron`.
 */
export class SpikingMlp extends Layer {
  readonly fc1: TokenMap;
  readonly fc2: TokenMap;

  constructor(name: string, options: SpikingMlpOptions) {
    super(name);
    const where = `SpikingMlp "${name}"`;
    const d = checkPositiveInt(options.channels, where, 'channels');
    const hidden = checkPositiveInt(options.hidden, where, 'hidden');
    const host = { addChildFor: <L extends Layer>(n: string, l: L): L => this.addChild(n, l) };
    this.fc1 = addTokenMap(host, 'fc1', d, hidden, options);
    this.fc2 = addTokenMap(host, 'fc2', hidden, d, options);
  }

  /** @param x [T, N, H, W, D] @returns [T, N, H, W, D] spikes */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => runTokenMap(this.fc2, runTokenMap(this.fc1, x)));
  }
}
