import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check, Layer, LIF, type NeuronFusableNorm, type NeuronLayer } from '@deepspike/core';
import { messages } from '../messages.js';
import { DEFAULT_EPSILON, tdbnWithStats, type TdbnImplementation, type TdbnOptions } from '../ops/tdbn-stats.js';
import { checkCount, checkEpsilon, checkLayerInput, checkMomentum } from '../ops/validate.js';
import { tdbnLifPath, tdbnLifWithStats, type FusedLifOptions } from '../ops/tdbn-lif.js';
import { tdbnLifPoolWithStats } from '../ops/tdbn-lif-pool.js';
import { tdbnLifRepeatedWithStats } from '../ops/tdbn-lif-repeated.js';
import { updateRunningStatistics } from '../ops/running-stats.js';
import { globalValueCount } from '../ops/synced-stats.js';

/** Options shared by the per-channel norms (TdBN, BatchNorm, TemporalEffectiveBN). */
export interface ChannelNormOptions {
  /** Number of channels C (the last axis of x). */
  readonly channels: number;
  /** Variance epsilon, default 1e-5. */
  readonly epsilon?: number;
  /** Running-statistics momentum (weight of the new batch), default 0.1. */
  readonly momentum?: number;
  /** Fused kernel or composite ops (see `tdbn`); default `'auto'`. */
  readonly implementation?: TdbnImplementation;
}

/** Per-channel affine map `y = scale*x + shift` of a norm in inference mode. */
export interface FoldingFactors {
  /** [C] */
  readonly scale: Float32Array;
  /** [C] */
  readonly shift: Float32Array;
}

/**
 * Base of the norms with per-channel statistics over every axis but the last (T, N, H, W):
 * `y = lambda*(gain*(x - mean)/sqrt(var + eps)) + beta`, `gain` being alpha*Vth for tdBN and 1 for
 * plain BN. Parameters `lambda` [C] (1) and `beta` [C] (0); buffers `runningMean` [C] (0) and
 * `runningVar` [C] (1), updated in training mode as
 * `r = (1 - momentum)*r + momentum*batch` with the unbiased batch variance (`var*n/(n-1)`);
 * inference mode normalises with them.
 */
export abstract class ChannelNorm extends Layer implements NeuronFusableNorm {
  /** Number of channels C. */
  readonly channels: number;
  /** Variance epsilon. */
  readonly epsilon: number;
  /** Running-statistics momentum. */
  readonly momentum: number;
  /** Fused kernel or composite ops. */
  readonly implementation: TdbnImplementation;
  /** [C] learnable scale. */
  readonly lambda: Variable;
  /** [C] learnable shift. */
  readonly beta: Variable;
  /** [C] running mean (buffer). */
  readonly runningMean: Variable;
  /** [C] running unbiased variance (buffer). */
  readonly runningVar: Variable;

  protected constructor(name: string, options: ChannelNormOptions, where: string) {
    super(name);
    this.channels = checkCount(options.channels, 'channels', where);
    this.epsilon = checkEpsilon(options.epsilon ?? DEFAULT_EPSILON, where);
    this.momentum = checkMomentum(options.momentum ?? 0.1, where);
    this.implementation = options.implementation ?? 'auto';
    const c = this.channels;
    this.lambda = this.addParam('lambda', tf.ones([c]));
    this.beta = this.addParam('beta', tf.zeros([c]));
    this.runningMean = this.addParam('runningMean', tf.zeros([c]), { trainable: false });
    this.runningVar = this.addParam('runningVar', tf.ones([c]), { trainable: false });
  }

  /** The factor between the normalised input and `lambda` (alpha*Vth for tdBN, 1 for BN). */
  protected abstract get gain(): number;

  /**
   * Whether {@link forwardIntoNeuron} may fuse this norm: true only for subclasses whose forward is
   * exactly this class's (TdBN, BatchNorm); a subclass that changes the output after the
   * normalisation (TEBN's per-step scale) keeps false.
   */
  protected get fusesWithNeuron(): boolean {
    return false;
  }

  /** Where-prefix of messages, e.g. `TdBN "bn1".forward`. */
  protected where(method: string): string {
    return `${this.constructor.name} "${this.name}".${method}`;
  }

  /**
   * Normalises per channel; training mode uses (and records) batch statistics, inference mode the
   * running ones.
   * @param x [T, N, H, W, C] or [T, N, C]
   * @returns same shape
   */
  forward(x: Tensor): Tensor {
    const where = this.where('forward');
    checkLayerInput(x, this.channels, where);
    if (!this.training) {
      return tf.tidy(() => {
        const scale = tf.mul(tf.mul(this.lambda, this.gain), tf.rsqrt(tf.add(this.runningVar, this.epsilon)));
        return tf.add(tf.mul(tf.sub(x, this.runningMean), scale), this.beta);
      });
    }
    const n = this.batchCount(x, where);
    const r = tdbnWithStats(x, this.normOptions(), where);
    this.recordBatchStatistics(r.mean, r.variance, n);
    return r.y;
  }

  /**
   * Training mode, when `neuron` is the STBP LIF (exactly core's `LIF`) and the backend has the
   * fused kernels or none at all (then one custom gradient, see `tdbnLifPath`):
   * `neuron(this.forward(x) [+ residual])` as one `tdbnLifWithStats` op, with the
   * same running statistics and the neuron's monitoring. Otherwise null (the caller composes).
   */
  forwardIntoNeuron(x: Tensor, neuron: NeuronLayer, residual: Tensor | null): Tensor | null {
    return this.fusedWithNeuron(x, neuron, (h, lifOptions, where) => {
      const r = tdbnLifWithStats(h, this.normOptions(), lifOptions, residual, where);
      return { out: r.spikes, mean: r.mean, variance: r.variance };
    });
  }

  /**
   * Training mode, as {@link forwardIntoNeuron}, with the average pool of k x k windows at stride k
   * after the neuron: `avgPool(neuron(this.forward(x)))` as one `tdbnLifPoolWithStats` op (the spikes
   * are never stored where the backend fuses the pool). The neuron records the pooled output's mean
   * as its rate (equal to the spikes' mean: the windows tile the image). Otherwise null.
   */
  forwardIntoNeuronPool(x: Tensor, neuron: NeuronLayer, size: number): Tensor | null {
    if (x.rank !== 5) return null;
    return this.fusedWithNeuron(x, neuron, (h, lifOptions, where) => {
      const r = tdbnLifPoolWithStats(h, this.normOptions(), lifOptions, size, where);
      return { out: r.pooled, mean: r.mean, variance: r.variance };
    });
  }

  /**
   * Training mode, as {@link forwardIntoNeuron} (poolSize null) or {@link forwardIntoNeuronPool}, on
   * x [1, N, ...] standing for its T copies (a direct encoding's first conv run once): one
   * `tdbnLifRepeatedWithStats` op, which does not make the copies where the backend has its kernel;
   * the running statistics count the T copies. Otherwise null.
   */
  forwardRepeatedIntoNeuron(x: Tensor, neuron: NeuronLayer, timesteps: number, poolSize: number | null): Tensor | null {
    if (poolSize !== null && x.rank !== 5) return null;
    return this.fusedWithNeuron(x, neuron, (h, lifOptions, where) => {
      const r = tdbnLifRepeatedWithStats(h, this.normOptions(), lifOptions, timesteps, poolSize, where);
      return { out: r.spikes, mean: r.mean, variance: r.variance };
    }, timesteps);
  }

  /**
   * Runs `op` (a fused tdBN+LIF op on the norm's input) in the neuron's place, recording the batch
   * statistics it returns and the neuron's monitors of its output; null unless this norm runs fused
   * with `neuron` (training mode, exactly core's STBP LIF, a path with the fused kernels or none).
   */
  private fusedWithNeuron(
    x: Tensor, neuron: NeuronLayer, op: (h: Tensor, lif: FusedLifOptions, where: string) => { out: Tensor; mean: Tensor; variance: Tensor }, copies = 1,
  ): Tensor | null {
    const fuses = this.training && this.fusesWithNeuron && tdbnLifPath(this.implementation) !== 'composite' &&
      neuron.constructor === LIF && (neuron as LIF).implementation !== 'composite';
    if (!fuses) return null;
    const lif = neuron as LIF;
    const where = this.where('forward');
    checkLayerInput(x, this.channels, where);
    const n = this.batchCount(x, where, copies);
    return lif.forwardFused(x, (h) => {
      const r = op(h, { vth: lif.vth, tau: lif.tau, surrogate: lif.surrogate, detachReset: lif.detachReset }, where);
      this.recordBatchStatistics(r.mean, r.variance, n);
      return r.out;
    });
  }

  /**
   * Values per channel in a batch (> 1 for a variance), x standing for `copies` copies of itself; of
   * the global batch when statistics are synchronised.
   */
  private batchCount(x: Tensor, where: string, copies = 1): number {
    const n = (copies * x.size) / this.channels;
    check(n > 1, () => messages.singleValue(where, x.shape, n));
    return globalValueCount(n);
  }

  /** The training-mode normalisation: tdbnWithStats computes gain*lambda*xhat, so alpha = gain, vth = 1 is the same equation. */
  private normOptions(): TdbnOptions {
    return { alpha: this.gain, vth: 1, lambda: this.lambda, beta: this.beta, epsilon: this.epsilon, implementation: this.implementation };
  }

  /** Updates the running statistics from a batch's ({@link updateRunningStatistics}); disposes mean and variance. */
  private recordBatchStatistics(mean: Tensor, variance: Tensor, n: number): void {
    updateRunningStatistics(this.runningMean, this.runningVar, mean, variance, n, this.momentum);
    tf.dispose([mean, variance]);
  }

  /**
   * The inference-mode map `y = scale*x + shift` per channel, computed in float64 from the
   * current parameters: `scale = lambda*gain/sqrt(runningVar + eps)`,
   * `shift = beta - scale*runningMean`.
   */
  protected channelFactors(): FoldingFactors {
    const lambda = this.lambda.dataSync();
    const beta = this.beta.dataSync();
    const rm = this.runningMean.dataSync();
    const rv = this.runningVar.dataSync();
    const scale = new Float32Array(this.channels);
    const shift = new Float32Array(this.channels);
    for (let c = 0; c < this.channels; c++) {
      const s = ((lambda[c] as number) * this.gain) / Math.sqrt((rv[c] as number) + this.epsilon);
      scale[c] = s;
      shift[c] = (beta[c] as number) - s * (rm[c] as number);
    }
    return { scale, shift };
  }
}
