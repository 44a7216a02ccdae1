import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from './layer.js';
import { Pool } from './pool.js';
import { copiesOverTime } from '../layout/sequence.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';

/**
 * A norm layer that can run fused with the neuron it feeds (e.g. @deepspike/tdbn's TdBN with the
 * STBP LIF): one op that neither stores the normalised current nor the membrane potential.
 */
export interface NeuronFusableNorm {
  /**
   * `neuron(this.forward(x) [+ residual])` as one fused op with the same values, gradients,
   * running statistics and neuron monitoring, or null when this pair cannot be fused here (another
   * neuron kind, inference mode, a backend without the kernels); the caller then composes.
   */
  forwardIntoNeuron(x: Tensor, neuron: NeuronLayer, residual: Tensor | null): Tensor | null;
  /**
   * `avgPool(neuron(this.forward(x)))` over k x k windows at stride k that tile x [T, N, H, W, C], as
   * one fused op that never stores the spikes (same values, gradients, running statistics; the
   * neuron's recorded rate is the pooled output's mean, which is the spikes' mean), or null when it
   * cannot fuse here (the caller then composes). Optional.
   */
  forwardIntoNeuronPool?(x: Tensor, neuron: NeuronLayer, size: number): Tensor | null;
  /**
   * `neuron(this.forward(copies))`, or with `poolSize` k `avgPool(neuron(this.forward(copies)))`, for
   * x [1, N, ...] standing for its T copies (`copies`), as one op that does not make them (same
   * values, gradients summed over T, running statistics, monitoring), or null when it cannot here
   * (the caller then makes the copies and composes). Optional.
   */
  forwardRepeatedIntoNeuron?(x: Tensor, neuron: NeuronLayer, timesteps: number, poolSize: number | null): Tensor | null;
}

/** Whether a layer implements {@link NeuronFusableNorm}. */
export function isNeuronFusableNorm(layer: unknown): layer is NeuronFusableNorm {
  return typeof (layer as Partial<NeuronFusableNorm> | null)?.forwardIntoNeuron === 'function';
}

/**
 * `neuron(norm(x) [+ residual])` — how every composite layer and generated model runs a norm
 * followed by its neuron: fused when the norm offers it ({@link NeuronFusableNorm}), else the two
 * layers one after the other (`norm` null: the neuron alone, after the residual add).
 * @param x [T, N, ...] the norm's input
 * @param residual null, or a tensor of x's shape added before the neuron (a residual block's shortcut)
 * @returns the neuron's spikes
 */
export function normIntoNeuron(norm: Layer | null, neuron: NeuronLayer, x: Tensor, residual: Tensor | null = null): Tensor {
  if (norm && isNeuronFusableNorm(norm)) {
    const spikes = norm.forwardIntoNeuron(x, neuron, residual);
    if (spikes) return spikes;
  }
  return tf.tidy(() => {
    let h = norm ? norm.forward(x) : x;
    if (residual) h = tf.add(h, residual);
    return neuron.forward(h);
  });
}

/**
 * The window size k when `pool` is an average pool of k x k windows at stride k without padding
 * whose windows tile x [T, N, H, W, C] (H and W multiples of k): what a norm may fuse after its
 * neuron ({@link normIntoNeuronPool}). Null otherwise.
 */
export function tilingAvgPoolSize(pool: Layer, x: Tensor): number | null {
  if (!(pool instanceof Pool) || pool.mode !== 'avg' || (pool.padding !== 'valid' && pool.padding !== 0)) return null;
  const [k, kw] = pool.size;
  if (k !== kw || pool.stride[0] !== k || pool.stride[1] !== k) return null;
  return windowsTile(x.shape, k) ? k : null;
}

/** Whether k x k windows at stride k tile the images of x [T, N, H, W, C] (k an integer >= 1 dividing H and W). */
export function windowsTile(shape: readonly number[], k: number): boolean {
  return shape.length === 5 && Number.isInteger(k) && k >= 1 && (shape[2] as number) % k === 0 && (shape[3] as number) % k === 0;
}

/**
 * `pool(neuron(norm(x)))` for a norm, its neuron and the average pool after it (a spiking VGG
 * block's tail): one fused op when the norm offers it ({@link NeuronFusableNorm.forwardIntoNeuronPool},
 * e.g. tdBN into the STBP LIF on deepspike-native), the pool tiles the images
 * ({@link tilingAvgPoolSize}) and the neuron does not record its spikes; else {@link normIntoNeuron}
 * then the pool.
 * @param x [T, N, H, W, C] the norm's input
 * @returns the pool's output
 */
export function normIntoNeuronPool(norm: Layer | null, neuron: NeuronLayer, pool: Layer, x: Tensor): Tensor {
  const k = tilingAvgPoolSize(pool, x);
  if (norm && isNeuronFusableNorm(norm) && norm.forwardIntoNeuronPool && k !== null && !neuron.recordSpikes) {
    const pooled = norm.forwardIntoNeuronPool(x, neuron, k);
    if (pooled) return pooled;
  }
  return tf.tidy(() => pool.forward(normIntoNeuron(norm, neuron, x)));
}

/**
 * {@link normIntoNeuron} (pool null) or {@link normIntoNeuronPool} on a sequence that may be given as
 * one step standing for its T copies, as {@link encodeInputOnce} gives a direct encoding and a
 * per-step first layer keeps it: x [1, N, ...] with `timesteps` T > 1 runs as one op without the
 * copies where the norm offers it ({@link NeuronFusableNorm.forwardRepeatedIntoNeuron}, e.g. tdBN
 * into the STBP LIF on deepspike-native; with a pool, when it tiles the images and the neuron does
 * not record its spikes), else on the copies. x [T, N, ...] runs as those functions do.
 * @param x [T, N, ...] or [1, N, ...] standing for T equal steps
 * @returns [T, N, ...]: the neuron's spikes, or the pool's output
 */
export function normIntoNeuronRepeated(norm: Layer | null, neuron: NeuronLayer, x: Tensor, timesteps: number, pool: Layer | null = null): Tensor {
  if (x.shape[0] === timesteps) return pool ? normIntoNeuronPool(norm, neuron, pool, x) : normIntoNeuron(norm, neuron, x);
  const k = pool ? tilingAvgPoolSize(pool, x) : null;
  if (norm && isNeuronFusableNorm(norm) && norm.forwardRepeatedIntoNeuron && (pool === null || (k !== null && !neuron.recordSpikes))) {
    const out = norm.forwardRepeatedIntoNeuron(x, neuron, timesteps, k);
    if (out) return out;
  }
  return tf.tidy(() => normIntoNeuronRepeated(norm, neuron, copiesOverTime(x, timesteps), timesteps, pool));
}
