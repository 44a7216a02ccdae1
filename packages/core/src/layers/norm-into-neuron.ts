import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from './layer.js';
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
