import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { spike } from './spike.js';
import { stopGradient } from './stop-gradient.js';

/** Scalar options of the current-based LIF (see {@link cubaLifStep}). */
export interface CubaLIFStepOptions {
  readonly vth: number;
  /** Membrane decay (snnTorch's beta) in [0, 1]. */
  readonly tau: number;
  /** Synaptic-current decay (snnTorch's alpha) in [0, 1). */
  readonly alpha: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/** State of one current-based LIF step: synaptic current, pre-reset potential, spikes. */
export interface CubaLIFState {
  readonly i: Tensor;
  readonly u: Tensor;
  readonly o: Tensor;
}

/**
 * One step of the current-based LIF (NIR CubaLIF, snnTorch Synaptic) in the STBP form, from the
 * previous state (null at t = 0):
 * `i[t] = alpha*i[t-1] + x[t]`, `u[t] = tau*u[t-1]*(1 - o[t-1]) + i[t]`, `o[t] = H(u[t] - vth)`.
 * Differentiable in x and every earlier state (the reset path is cut when `detachReset`).
 * @param x [N, ...] input current of this step
 */
export function cubaLifStep(x: Tensor, prev: CubaLIFState | null, opts: CubaLIFStepOptions): CubaLIFState {
  return tf.tidy(() => {
    let i = x;
    let u = x;
    if (prev !== null) {
      i = tf.add(tf.mul(prev.i, opts.alpha), x);
      const keep = tf.sub(1, opts.detachReset ? stopGradient(prev.o) : prev.o);
      u = tf.add(tf.mul(tf.mul(prev.u, opts.tau), keep), i);
    } else {
      i = tf.clone(x);
      u = tf.clone(x);
    }
    const o = spike(tf.sub(u, opts.vth), opts.surrogate);
    return { i, u, o };
  });
}

/**
 * The current-based LIF over T with composite tf ops (autodiff gives STBP through time).
 * @param x [T, ...] input currents
 * @returns spikes, pre-reset potentials and synaptic currents, each [T, ...]
 */
export function cubaLif(x: Tensor, opts: CubaLIFStepOptions): { spikes: Tensor; u: Tensor; i: Tensor } {
  return tf.tidy(() => {
    // tf.unstack's gradient breaks for a single output: reshape when T = 1 (as lifComposite does).
    const xs = x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
    const os: Tensor[] = [];
    const us: Tensor[] = [];
    const is: Tensor[] = [];
    let prev: CubaLIFState | null = null;
    for (const xt of xs) {
      prev = cubaLifStep(xt, prev, opts);
      os.push(prev.o);
      us.push(prev.u);
      is.push(prev.i);
    }
    return { spikes: tf.stack(os), u: tf.stack(us), i: tf.stack(is) };
  });
}

/**
 * The leaky integrator (NIR LI, snnTorch's non-spiking readout): `u[t] = tau*u[t-1] + x[t]`, no
 * threshold, no reset; its output is the potential.
 * @param x [T, ...] input currents
 * @returns [T, ...] potentials
 */
export function leakyIntegrate(x: Tensor, tau: number): Tensor {
  return tf.tidy(() => {
    const xs = x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
    const us: Tensor[] = [];
    let u: Tensor | null = null;
    for (const xt of xs) {
      u = u === null ? tf.clone(xt) : tf.add(tf.mul(u, tau), xt);
      us.push(u);
    }
    return tf.stack(us);
  });
}
