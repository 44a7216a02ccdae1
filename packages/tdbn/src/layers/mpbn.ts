import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check, IF, InvalidArgumentError, Layer, LIF, PLIF, type NeuronFusableNorm, type NeuronLayer } from '@deepspike/core';
import { messages } from '../messages.js';
import { DEFAULT_EPSILON } from '../ops/tdbn-stats.js';
import { mpbnFoldedThreshold, mpbnLif, type MpbnNeuron } from '../ops/mpbn-lif.js';
import { updateRunningStatistics } from '../ops/running-stats.js';
import { checkCount, checkEpsilon, checkLayerInput, checkMomentum } from '../ops/validate.js';

/** Options of {@link MembranePotentialBN}. */
export interface MembranePotentialBNOptions {
  /** Number of channels C (the last axis). */
  readonly channels: number;
  /** Variance epsilon, default 1e-5. */
  readonly epsilon?: number;
  /** Running-statistics momentum, default 0.1. */
  readonly momentum?: number;
}

/**
 * MPBN (Guo et al., ICCV 2023): batch normalisation of the neuron's membrane potential after the
 * charge and before the fire, `o[t] = H(lambda*(u[t] - mu)/sqrt(var + eps) + beta - vth)`, see
 * {@link mpbnLif}. A DSL norm layer (`"kind": "mpbn"`) placed right before a LIF, IF or PLIF neuron
 * layer: it runs inside that neuron (through `normIntoNeuron`), so `forward` alone refuses.
 * Parameters `lambda` [C] (1) and `beta` [C] (0), shared over time; buffers `runningMean` [C] (0) and
 * `runningVar` [C] (1), updated once per time step in training mode (momentum, unbiased variance),
 * as PyTorch's BN called at every step of the neuron is. Inference uses the running statistics, which
 * folds into per-channel thresholds ({@link MembranePotentialBN.foldedThresholds}).
 */
export class MembranePotentialBN extends Layer implements NeuronFusableNorm {
  readonly channels: number;
  readonly epsilon: number;
  readonly momentum: number;
  /** [C] */
  readonly lambda: Variable;
  /** [C] */
  readonly beta: Variable;
  /** [C] (buffer) */
  readonly runningMean: Variable;
  /** [C] (buffer) */
  readonly runningVar: Variable;

  constructor(name: string, options: MembranePotentialBNOptions) {
    super(name);
    const where = `MembranePotentialBN "${name}"`;
    this.channels = checkCount(options.channels, 'channels', where);
    this.epsilon = checkEpsilon(options.epsilon ?? DEFAULT_EPSILON, where);
    this.momentum = checkMomentum(options.momentum ?? 0.1, where);
    const c = [this.channels];
    this.lambda = this.addParam('lambda', tf.ones(c));
    this.beta = this.addParam('beta', tf.zeros(c));
    this.runningMean = this.addParam('runningMean', tf.zeros(c), { trainable: false });
    this.runningVar = this.addParam('runningVar', tf.ones(c), { trainable: false });
  }

  /** @throws InvalidArgumentError always: MPBN normalises a neuron's membrane, not a current */
  forward(x: Tensor): Tensor {
    throw new InvalidArgumentError(messages.mpbnAlone(`MembranePotentialBN "${this.name}".forward`, x.shape));
  }

  /** The LIF-family parameters of the neuron this norm runs in, or a refusal naming what was given. */
  private neuronOf(neuron: NeuronLayer, where: string): MpbnNeuron {
    if (neuron instanceof LIF) return { vth: neuron.vth, tau: neuron.tau, surrogate: neuron.surrogate, detachReset: neuron.detachReset };
    if (neuron instanceof IF) return { vth: neuron.vth, tau: 1, surrogate: neuron.surrogate, detachReset: neuron.detachReset };
    if (neuron instanceof PLIF) return { vth: neuron.vth, tau: tf.sigmoid(neuron.w), surrogate: neuron.surrogate, detachReset: neuron.detachReset };
    throw new InvalidArgumentError(messages.mpbnNeuron(where, neuron.constructor.name));
  }

  /**
   * `neuron(x [+ residual])` with this norm on its membrane (the fused path `normIntoNeuron` takes).
   * @param x [T, N, H, W, C] or [T, N, C] input currents
   */
  forwardIntoNeuron(x: Tensor, neuron: NeuronLayer, residual: Tensor | null): Tensor {
    const where = `MembranePotentialBN "${this.name}".forwardIntoNeuron`;
    checkLayerInput(x, this.channels, where);
    return neuron.forwardFused(x, (h) => {
      const input = residual ? tf.add(h, residual) : h;
      const n = this.neuronOf(neuron, where);
      const m = input.size / ((input.shape[0] as number) * this.channels);
      if (this.training) check(m > 1, () => messages.singleValue(where, input.shape, m));
      const r = mpbnLif(input, {
        lambda: this.lambda, beta: this.beta, epsilon: this.epsilon,
        running: this.training ? null : { mean: this.runningMean, variance: this.runningVar },
      }, n);
      if (r.stats) {
        // One update per time step, in order (PyTorch's BN called inside the neuron at every step).
        const means = tf.unstack(r.stats.mean);
        const vars = tf.unstack(r.stats.variance);
        means.forEach((mt, t) => updateRunningStatistics(this.runningMean, this.runningVar, mt, vars[t] as Tensor, m, this.momentum));
      }
      return r.spikes;
    });
  }

  /**
   * MPBN's re-parameterisation: the per-channel thresholds on u that the inference-mode norm amounts
   * to, `vth' = (vth - beta)*sqrt(runningVar + eps)/lambda + runningMean`.
   * @param vth the neuron's threshold
   */
  foldedThresholds(vth: number): Float64Array {
    return mpbnFoldedThreshold(vth, this.lambda.dataSync(), this.beta.dataSync(), this.runningMean.dataSync(), this.runningVar.dataSync(), this.epsilon);
  }
}
