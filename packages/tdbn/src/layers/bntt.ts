import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check, Layer } from '@deepspike/core';
import { messages } from '../messages.js';
import { DEFAULT_EPSILON } from '../ops/tdbn-stats.js';
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
    return tf.tidy(() => {
      const x3 = tf.reshape(x, [t, m, c]);
      const lambda = tf.reshape(this.lambda, [t, 1, c]);
      const beta = tf.reshape(this.beta, [t, 1, c]);
      let mean: Tensor;
      let variance: Tensor;
      if (this.training) {
        mean = tf.mean(x3, 1, true);
        variance = tf.mean(tf.square(tf.sub(x3, mean)), 1, true);
        const mo = this.momentum;
        this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - mo), tf.mul(tf.reshape(mean, [t, c]), mo)));
        this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - mo), tf.mul(tf.reshape(variance, [t, c]), (mo * m) / (m - 1))));
      } else {
        mean = tf.reshape(this.runningMean, [t, 1, c]);
        variance = tf.reshape(this.runningVar, [t, 1, c]);
      }
      const y = tf.add(tf.mul(tf.sub(x3, mean), tf.mul(lambda, tf.rsqrt(tf.add(variance, this.epsilon)))), beta);
      return tf.reshape(y, x.shape);
    });
  }
}
