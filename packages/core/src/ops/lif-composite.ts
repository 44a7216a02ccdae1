import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { spike } from './spike.js';
import { stopGradient } from './stop-gradient.js';
import { unstackTime } from './unstack-time.js';

/** Scalar options of one LIF step; `tau` may be a scalar tensor (PLIF's learnable decay). */
export interface LIFStepOptions {
  readonly vth: number;
  readonly tau: number | Tensor;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/**
 * One STBP step from the previous pre-reset potential and spikes (null at t = 0):
 * `u = (tau*uPrev)*(1 - oPrev) + x`, `o = spike(u - vth)`. Differentiable in x, uPrev, oPrev
 * (the reset path is cut when `detachReset`) and tau when it is a tensor.
 * @param x [N, ...] input current of this step
 */
export function lifStep(x: Tensor, uPrev: Tensor | null, oPrev: Tensor | null, opts: LIFStepOptions): { o: Tensor; u: Tensor } {
  return tf.tidy(() => {
    let u = x;
    if (uPrev !== null && oPrev !== null) {
      const keep = tf.sub(1, opts.detachReset ? stopGradient(oPrev) : oPrev);
      u = tf.add(tf.mul(tf.mul(uPrev, opts.tau), keep), x);
    }
    const o = spike(tf.sub(u, opts.vth), opts.surrogate);
    return { o, u: u === x ? tf.clone(x) : u };
  });
}

/**
 * LIF over T with composite tf ops (autodiff does the backward pass). Used on backends without the
 * fused kernels, and by PLIF (whose tau is a tensor).
 * @param x [T, ...] input currents
 * @returns spikes and pre-reset potentials, both [T, ...]
 */
export function lifComposite(x: Tensor, opts: LIFStepOptions): { spikes: Tensor; u: Tensor } {
  return tf.tidy(() => {
    const xs = unstackTime(x);
    const os: Tensor[] = [];
    const us: Tensor[] = [];
    let uPrev: Tensor | null = null;
    let oPrev: Tensor | null = null;
    for (const xt of xs) {
      const { o, u } = lifStep(xt, uPrev, oPrev, opts);
      os.push(o);
      us.push(u);
      uPrev = u;
      oPrev = o;
    }
    return { spikes: tf.stack(os), u: tf.stack(us) };
  });
}
