import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import { checkCount } from '../ops/validate.js';
import { ChannelNorm, type ChannelNormOptions } from './channel-norm.js';

/** Options of {@link TemporalEffectiveBN}. */
export interface TemporalEffectiveBNOptions extends ChannelNormOptions {
  /** Number of time steps T (one learnable scale per step). */
  readonly timesteps: number;
}

/**
 * Temporal effective batch normalisation (TEBN, Duan et al., NeurIPS 2022): plain BN with
 * statistics over T·N (and H, W) per channel, then a learnable scale per time step,
 *
 * `y[t] = p[t]*(lambda*(x[t] - mean)/sqrt(var + eps) + beta)`.
 *
 * Parameters `lambda` [C] (1), `beta` [C] (0), `stepScale` [T] (p, init 1); buffers `runningMean`
 * [C], `runningVar` [C] (momentum 0.1, unbiased variance), used in inference mode.
 */
export class TemporalEffectiveBN extends ChannelNorm {
  /** Number of time steps T. */
  readonly timesteps: number;
  /** [T] learnable per-step scale p. */
  readonly stepScale: Variable;

  constructor(name: string, options: TemporalEffectiveBNOptions) {
    super(name, options, `TemporalEffectiveBN "${name}"`);
    this.timesteps = checkCount(options.timesteps, 'timesteps', `TemporalEffectiveBN "${name}"`);
    this.stepScale = this.addParam('stepScale', tf.ones([this.timesteps]));
  }

  protected get gain(): number {
    return 1;
  }

  /**
   * @param x [T, N, H, W, C] or [T, N, C] with T = `timesteps`
   * @returns same shape
   */
  override forward(x: Tensor): Tensor {
    check(x.rank < 1 || x.shape[0] === this.timesteps, () => messages.timesteps(this.where('forward'), this.timesteps, x.shape));
    const bn = super.forward(x);
    return tf.tidy(() => {
      const p = tf.reshape(this.stepScale, [this.timesteps, ...new Array<number>(x.rank - 1).fill(1)]);
      const y = tf.mul(bn, p);
      bn.dispose();
      return y;
    });
  }
}
