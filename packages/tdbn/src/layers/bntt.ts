import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check, Layer } from '@deepspike/core';
import { messages } from '../messages.js';
import { DEFAULT_EPSILON, tdbnWithStats } from '../ops/tdbn-stats.js';
import { updateRunningStatistics } from '../ops/running-stats.js';
import { globalValueCount } from '../ops/synced-stats.js';
import { checkCount, checkEpsilon, checkLayerInput, checkMomentum } from '../ops/validate.js';

/** Options of {@link BatchNormThroughTime}. */
export interface BatchNormThroughTimeOptions {
  /** Number of channels C (the last axis). */
  readonly channels: number;
  /** Number of time steps T (statistics and parameters per step). */
  readonly timesteps: number;
  /** Variance epsilon, default 1e-5. */
  readonly epsilon?: number;
  /** Running-statistics momentum, default 0.1. */
  readonly momentum?: number;
}

/**
 * Batch normalisation through time (BNTT, Kim & Panda 2021): a separate BN per time step, with
 * statistics per (t, channel) over N (and H, W),
 *
 * `y[t] = lambda[t]*(x[t] - mean[t])/sqrt(var[t] + eps) + beta[t]`.
 *
 * Parameters `lambda` [T, C] (1), `beta` [T, C] (0); buffers `runningMean` [T, C] (0),
 * `runningVar` [T, C] (1), momentum 0.1 with the unbiased variance, used in inference mode.
 * (The original BNTT has no bias; `beta` starts at 0 and may be frozen by the caller.)
 */
export class BatchNormThroughTime extends Layer {
  readonly channels: number;
  readonly timesteps: number;
  readonly epsilon: number;
  readonly momentum: number;
  /** [T, C] */
  readonly lambda: Variable;
  /** [T, C] */
  readonly beta: Variable;
  /** [T, C] (buffer) */
  readonly runningMean: Variable;
  /** [T, C] (buffer) */
  readonly runningVar: Variable;

  constructor(name: string, options: BatchNormThroughTimeOptions) {
    super(name);
    const where = `BatchNormThroughTime "${name}"`;
    this.channels = checkCount(options.channels, 'channels', where);
    this.timesteps = checkCount(options.timesteps, 'timesteps', where);
    this.epsilon = checkEpsilon(options.epsilon ?? DEFAULT_EPSILON, where);
    this.momentum = checkMomentum(options.momentum ?? 0.1, where);
    const s = [this.timesteps, this.channels];
    this.lambda = this.addParam('lambda', tf.ones(s));
    this.beta = this.addParam('beta', tf.zeros(s));
    this.runningMean = this.addParam('runningMean', tf.zeros(s), { trainable: false });
    this.runningVar = this.addParam('runningVar', tf.ones(s), { trainable: false });
  }

  /**
   * @param x [T, N, H, W, C] or [T, N, C] with T = `timesteps`
   * @returns same shape
   */
  forward(x: Tensor): Tensor {
    const where = `BatchNormThroughTime "${this.name}".forward`;
    checkLayerInput(x, this.channels, where);
    const t = this.timesteps;
    const c = this.channels;
    check(x.shape[0] === t, () => messages.timesteps(where, t, x.shape));
    const m = x.size / (t * c);
    if (this.training) check(m > 1, () => messages.singleValue(where, x.shape, m));
    // One normalisation per time step, each on the contiguous [m, C] slab x[t]: training mode runs
    // tdbnWithStats (the fused DeepSpikeTdBN kernels; gain 1), inference an affine map broadcast over
    // the last axis. Broadcasting [T, 1, C] statistics against [T, m, C] instead reduced and
    // broadcast over a middle axis, which no fast kernel does (tf.js's JavaScript fallbacks made
    // a 300-step 20-layer BNTT ablation run for hours).
    return tf.tidy(() => {
      const steps = tf.unstack(tf.reshape(x, [t, m, c]));
      const lambdas = tf.unstack(this.lambda);
      const betas = tf.unstack(this.beta);
      if (!this.training) {
        const scales = tf.unstack(tf.mul(this.lambda, tf.rsqrt(tf.add(this.runningVar, this.epsilon))));
        const means = tf.unstack(this.runningMean);
        const ys = steps.map((xt, i) => tf.add(tf.mul(tf.sub(xt, means[i] as Tensor), scales[i] as Tensor), betas[i] as Tensor));
        return tf.reshape(tf.stack(ys), x.shape);
      }
      const ys: Tensor[] = [];
      const means: Tensor[] = [];
      const variances: Tensor[] = [];
      steps.forEach((xt, i) => {
        const r = tdbnWithStats(tf.reshape(xt, [1, m, c]), { alpha: 1, vth: 1, lambda: lambdas[i] as Tensor, beta: betas[i] as Tensor, epsilon: this.epsilon }, where);
        ys.push(tf.reshape(r.y, [m, c]));
        means.push(r.mean);
        variances.push(r.variance);
      });
      updateRunningStatistics(this.runningMean, this.runningVar, tf.stack(means), tf.stack(variances), globalValueCount(m), this.momentum);
      return tf.reshape(tf.stack(ys), x.shape);
    });
  }
}
