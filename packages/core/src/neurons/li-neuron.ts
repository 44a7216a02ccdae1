import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { leakyIntegrate } from '../ops/cuba-lif.js';
import { spikingMessages } from '../messages.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';

/** Options of {@link LI}. */
export interface LINeuronOptions extends NeuronLayerOptions {
  /** Decay in [0, 1] (default 0.9). */
  readonly tau?: number;
}

/**
 * Leaky integrator (NIR LI; snnTorch's non-spiking output layer): `u[t] = tau*u[t-1] + x[t]`, no
 * threshold and no reset. Its output is the potential u (not spikes), so a readout of the mean
 * over T sees a low-pass-filtered current. No parameters.
 */
export class LI extends NeuronLayer {
  readonly tau: number;

  /** @throws InvalidArgumentError for tau outside [0, 1] */
  constructor(name: string, options: LINeuronOptions = {}) {
    super(name, options);
    this.tau = options.tau ?? 0.9;
    check(Number.isFinite(this.tau) && this.tau >= 0 && this.tau <= 1, () => spikingMessages.tau(`LI "${name}"`, this.tau, '[0, 1]'));
  }

  protected multiStep(x: Tensor): Tensor {
    return leakyIntegrate(x, this.tau);
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    return tf.tidy(() => {
      const u = prev === null ? tf.clone(x) : tf.add(tf.mul(prev.u, this.tau), x);
      return { u, o: tf.clone(u) };
    });
  }
}
