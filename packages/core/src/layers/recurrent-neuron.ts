import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { assertSequence } from '../layout/sequence.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';
import { Linear } from './linear.js';

/** Options of {@link RecurrentNeuron}. */
export interface RecurrentNeuronOptions {
  /** Neurons C (the input is `[T, N, C]`). */
  readonly features: number;
  /** Learn a bias on the recurrent input (NIR Affine; false: Linear). Default true. */
  readonly bias?: boolean;
  /** Integer seed of the recurrent map's initialisation. */
  readonly seed?: number;
}

/**
 * A neuron layer fed by its own spikes of the previous step through a learned all-to-all map, as
 * snnTorch's RLeaky/RSynaptic and a NIR Affine/Linear on a cycle:
 * `o[t] = neuron(x[t] + o[t-1]·W_rec + b_rec)`, `o[-1] = 0` (so the bias enters at t = 0 too). Children `neuron` (any NeuronLayer)
 * and `rec` (a Linear `[C, C]`). Runs the neuron step by step, so STBP differentiates through time
 * along both the membrane and the recurrent edge.
 */
export class RecurrentNeuron extends Layer {
  readonly neuron: NeuronLayer;
  readonly rec: Linear;
  readonly features: number;

  constructor(name: string, neuron: NeuronLayer, options: RecurrentNeuronOptions) {
    super(name);
    this.features = options.features;
    this.neuron = this.addChild('neuron', neuron);
    this.rec = this.addChild('rec', new Linear('rec', { inFeatures: options.features, units: options.features, bias: options.bias ?? true, ...(options.seed === undefined ? {} : { seed: options.seed }) }));
  }

  /**
   * @param x [T, N, C] input currents
   * @returns [T, N, C] spikes
   */
  forward(x: Tensor): Tensor {
    const where = `RecurrentNeuron "${this.name}".forward`;
    assertSequence(x, where);
    check(x.rank === 3 && x.shape[2] === this.features, () => layerMessages.inputFeatures(where, x.shape, x.shape[x.rank - 1] as number, this.features, 'neurons [T, N, C]'));
    // The step states of the previous forward are freed here: backprop of that pass is over.
    this.neuron.resetState();
    return tf.tidy(() => {
      const xs = x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
      const os: Tensor[] = [];
      let prev: Tensor = tf.zeros(xs[0]?.shape ?? []);
      for (const xt of xs) {
        const input = tf.add(xt, tf.reshape(this.rec.forward(tf.expandDims(prev, 0)), xt.shape));
        prev = this.neuron.step(input);
        os.push(prev);
      }
      if (!tf.engine().isTapeOn()) this.neuron.resetState();
      return tf.stack(os);
    });
  }
}
