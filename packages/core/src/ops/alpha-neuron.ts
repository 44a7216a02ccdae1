import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { spike } from './spike.js';
import { stopGradient } from './stop-gradient.js';

/** Scalar options of the alpha neuron (see {@link alphaStep}). */
export interface AlphaStepOptions {
  readonly vth: number;
  /** Excitatory-current decay (snnTorch's alpha), 0 < beta < alpha < 1. */
  readonly alpha: number;
  /** Inhibitory-current decay (snnTorch's beta). */
  readonly beta: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/** State of one alpha-neuron step: excitatory and inhibitory currents, potential, spikes. */
export interface AlphaState {
  readonly e: Tensor;
  readonly i: Tensor;
  readonly u: Tensor;
  readonly o: Tensor;
}

/**
 * The membrane gain of snnTorch's Alpha neuron, `tau_alpha = log(alpha)/(log(beta) - log(alpha)) + 1`,
 * which makes `u = tau_alpha*(e + i)` the alpha function of the two exponential currents.
 */
export function alphaMembraneGain(alpha: number, beta: number): number {
  return Math.log(alpha) / (Math.log(beta) - Math.log(alpha)) + 1;
}

/**
 * One step of the alpha neuron (snnTorch `Alpha`, reset to zero), from the previous state (null at t = 0):
 * `e[t] = (alpha*e[t-1] + x[t])*(1 - o[t-1])`, `i[t] = (beta*i[t-1] - x[t])*(1 - o[t-1])`,
 * `u[t] = tau_alpha*(e[t] + i[t])`, `o[t] = H(u[t] - vth)`. The input enters e and i with opposite
 * signs, so it reaches u one step later and then rises and falls as an alpha function.
 * Differentiable in x and every earlier state (the reset path is cut when `detachReset`).
 * @param x [N, ...] input current of this step
 */
export function alphaStep(x: Tensor, prev: AlphaState | null, opts: AlphaStepOptions): AlphaState {
  return tf.tidy(() => {
    let e: Tensor;
    let i: Tensor;
    if (prev === null) {
      e = tf.clone(x);
      i = tf.neg(x);
    } else {
      const keep = tf.sub(1, opts.detachReset ? stopGradient(prev.o) : prev.o);
      e = tf.mul(tf.add(tf.mul(prev.e, opts.alpha), x), keep);
      i = tf.mul(tf.sub(tf.mul(prev.i, opts.beta), x), keep);
    }
    const u = tf.mul(tf.add(e, i), alphaMembraneGain(opts.alpha, opts.beta));
    const o = spike(tf.sub(u, opts.vth), opts.surrogate);
    return { e, i, u, o };
  });
}

/**
 * The alpha neuron over T with composite tf ops (autodiff gives STBP through time).
 * @param x [T, ...] input currents
 * @returns spikes, potentials and the two currents, each [T, ...]
 */
export function alphaNeuron(x: Tensor, opts: AlphaStepOptions): { spikes: Tensor; u: Tensor; e: Tensor; i: Tensor } {
  return tf.tidy(() => {
    // tf.unstack's gradient breaks for a single output: reshape when T = 1 (as lifComposite does).
    const xs = x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
    const out: { o: Tensor[]; u: Tensor[]; e: Tensor[]; i: Tensor[] } = { o: [], u: [], e: [], i: [] };
    let prev: AlphaState | null = null;
    for (const xt of xs) {
      prev = alphaStep(xt, prev, opts);
      out.o.push(prev.o);
      out.u.push(prev.u);
      out.e.push(prev.e);
      out.i.push(prev.i);
    }
    return { spikes: tf.stack(out.o), u: tf.stack(out.u), e: tf.stack(out.e), i: tf.stack(out.i) };
  });
}
