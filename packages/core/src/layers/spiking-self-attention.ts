import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import type { Conv2d } from './conv2d.js';
import { createNeuron, type FactoryOptions, type NeuronSpec, type NormSpec } from './factories.js';
import { blockParts, type BlockSpec } from './block-parts.js';
import { layerMessages } from '../messages.js';
import { checkPositiveInt } from './spatial.js';
import { normIntoNeuron } from './norm-into-neuron.js';

/** Options of {@link SpikingSelfAttention}. */
export interface SpikingSelfAttentionOptions extends FactoryOptions {
  /** Embedding channels D (the last axis), divisible by `heads`. */
  readonly channels: number;
  /** Attention heads (default 8 in Spikformer; D/heads channels each). */
  readonly heads: number;
  /** Scaling factor s of Q·Kᵀ·V (default 0.125, the paper's). */
  readonly scale?: number;
  /** Threshold of the neuron after Q·Kᵀ·V·s (default half the model neuron's vth: Spikformer's 0.5 against 1). */
  readonly attentionVth?: number;
  /** Norm after each token-wise linear map (kind `"none"` for none; the maps then get a bias). */
  readonly norm: NormSpec;
  /** Spiking neuron after each norm and after the attention product. */
  readonly neuron: NeuronSpec;
  /** Integer seed; child `c` is seeded with `deriveSeed(seed, c)`. */
  readonly seed?: number;
}

/**
 * A token-wise linear map (a 1x1 conv over `[T, N, H, W, C]`, every pixel a token, as Spikformer's
 * Conv1d with kernel 1), its norm (statistics over T, N and the tokens) and its neuron.
 */
export interface TokenMap {
  readonly linear: Conv2d;
  readonly norm: Layer | null;
  readonly neuron: NeuronLayer;
}

/** Builds `name`, `${name}Norm`, `${name}Neuron` as children of `parent` (used by the Spikformer layers). */
export function addTokenMap(
  parent: { addChildFor<L extends Layer>(n: string, l: L): L },
  name: string,
  cin: number,
  cout: number,
  spec: BlockSpec,
): TokenMap {
  const parts = blockParts((n, l) => parent.addChildFor(n, l), spec);
  const linear = parts.conv(name, cin, cout, 1, 1, 0);
  const norm = parts.norm(`${name}Norm`, cout, 1);
  const neuron = parts.neuron(`${name}Neuron`);
  return { linear, norm, neuron };
}

/** `neuron(norm(linear(x)))` of a {@link TokenMap}. */
export function runTokenMap(m: TokenMap, x: Tensor): Tensor {
  return normIntoNeuron(m.norm, m.neuron, m.linear.forward(x));
}

/**
 * Spiking self-attention of Spikformer (Zhou et al. ICLR 2023, Eqs. 14-17), on `[T, N, H, W, D]`
 * with the H·W pixels as tokens: `Q, K, V = SN(BN(X·W))` (binary), per head
 * `SSA' = SN_attn(Q·Kᵀ·V·s)` — no softmax: the spike matrices are non-negative already —, then
 * `SSA = SN(BN(Linear(SSA')))`. The products of binary Q, K, V are integers, so evaluating
 * `Q·(Kᵀ·V)` when there are more tokens than head channels (cheaper) gives the same values.
 * Children: `q`, `qNorm`, `qNeuron`, `k`, ..., `v`, ..., `attnNeuron`, `proj`, `projNorm`, `projNeuron`.
 */
export class SpikingSelfAttention extends Layer {
  readonly q: TokenMap;
  readonly k: TokenMap;
  readonly v: TokenMap;
  readonly attnNeuron: NeuronLayer;
  readonly proj: TokenMap;
  readonly channels: number;
  readonly heads: number;
  readonly scale: number;

  constructor(name: string, options: SpikingSelfAttentionOptions) {
    super(name);
    const where = `SpikingSelfAttention "${name}"`;
    this.channels = checkPositiveInt(options.channels, where, 'channels');
    this.heads = checkPositiveInt(options.heads, where, 'heads');
    check(this.channels % this.heads === 0, () => layerMessages.headsDivide(where, this.channels, this.heads));
    this.scale = options.scale ?? 0.125;
    const host = { addChildFor: <L extends Layer>(n: string, l: L): L => this.addChild(n, l) };
    const d = this.channels;
    this.q = addTokenMap(host, 'q', d, d, options);
    this.k = addTokenMap(host, 'k', d, d, options);
    this.v = addTokenMap(host, 'v', d, d, options);
    const vth = options.attentionVth ?? (options.neuron.options?.vth ?? 0.5) / 2;
    this.attnNeuron = this.addChild('attnNeuron', createNeuron('attnNeuron', { kind: options.neuron.kind, options: { ...options.neuron.options, vth } }, options));
    this.proj = addTokenMap(host, 'proj', d, d, options);
  }

  /**
   * @param x [T, N, H, W, D] spikes (or the block's summed spikes)
   * @returns [T, N, H, W, D] spikes
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const [t, n, h, w, d] = x.shape as [number, number, number, number, number];
      const L = h * w;
      const dh = d / this.heads;
      // [T, N, H, W, D] -> [T*N*heads, L, dh]
      const heads = (z: Tensor): Tensor => tf.reshape(tf.transpose(tf.reshape(z, [t * n, L, this.heads, dh]), [0, 2, 1, 3]), [t * n * this.heads, L, dh]);
      const q = heads(runTokenMap(this.q, x)) as tf.Tensor3D;
      const k = heads(runTokenMap(this.k, x)) as tf.Tensor3D;
      const v = heads(runTokenMap(this.v, x)) as tf.Tensor3D;
      const qkv = L > dh ? tf.matMul(q, tf.matMul(k, v, true, false)) : tf.matMul(tf.matMul(q, k, false, true), v);
      const merged = tf.reshape(tf.transpose(tf.reshape(tf.mul(qkv, this.scale), [t * n, this.heads, L, dh]), [0, 2, 1, 3]), [t, n, h, w, d]);
      return runTokenMap(this.proj, this.attnNeuron.forward(merged));
    });
  }
}
