import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check, spike, stopGradient, type Surrogate } from '@deepspike/core';
import { alifMessages } from './messages.js';

/** Parameters of {@link adaptiveLif} (all required; the layer fills the defaults). */
export interface AdaptiveLIFParams {
  /** Resting threshold Vth > 0. */
  readonly vth: number;
  /** Membrane decay tau in [0, 1). */
  readonly tau: number;
  /** Threshold increase per spike, beta >= 0 (0 gives the plain STBP LIF). */
  readonly beta: number;
  /** Decay of the threshold increase per step, rho in [0, 1). */
  readonly rho: number;
  /** Surrogate of the spike's gradient with respect to `u - theta`. */
  readonly surrogate: Surrogate;
  /** Treat the reset factor (1 - o[t-1]) as a constant in the backward pass. */
  readonly detachReset: boolean;
}

/**
 * Checks the scalar parameters of the adaptive LIF.
 * @throws InvalidArgumentError naming the option, its value and its range
 */
export function checkAdaptiveParams(where: string, p: Omit<AdaptiveLIFParams, 'surrogate' | 'detachReset'>): void {
  check(Number.isFinite(p.vth) && p.vth > 0, () => alifMessages.option(where, 'vth', p.vth, '> 0'));
  check(Number.isFinite(p.tau) && p.tau >= 0 && p.tau < 1, () => alifMessages.option(where, 'tau', p.tau, 'in [0, 1)'));
  check(Number.isFinite(p.beta) && p.beta >= 0, () => alifMessages.option(where, 'beta', p.beta, '>= 0'));
  check(Number.isFinite(p.rho) && p.rho >= 0 && p.rho < 1, () => alifMessages.option(where, 'rho', p.rho, 'in [0, 1)'));
}

/**
 * One step of the adaptive-threshold LIF from the previous state (null at t = 0, the rest state
 * `u = a = o = 0`):
 * `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`, `a[t] = rho*a[t-1] + beta*o[t-1]`,
 * `theta[t] = vth + a[t]`, `o[t] = H(u[t] - theta[t])`.
 * The gradient flows through u and through the adaptation a (as in Bellec et al. 2018's ALIF).
 * @param x [N, ...] input current of the step
 * @returns spikes `o`, pre-reset potential `u` and adaptation `a`, each x's shape
 */
export function adaptiveLifStep(x: Tensor, prev: { u: Tensor; o: Tensor; a: Tensor } | null, p: AdaptiveLIFParams): { o: Tensor; u: Tensor; a: Tensor } {
  return tf.tidy(() => {
    let u: Tensor;
    let a: Tensor;
    if (prev === null) {
      u = tf.clone(x);
      a = tf.zerosLike(x);
    } else {
      const keep = tf.sub(1, p.detachReset ? stopGradient(prev.o) : prev.o);
      u = tf.add(tf.mul(tf.mul(prev.u, p.tau), keep), x);
      a = tf.add(tf.mul(prev.a, p.rho), tf.mul(prev.o, p.beta));
    }
    const o = spike(tf.sub(tf.sub(u, p.vth), a), p.surrogate);
    return { o, u, a };
  });
}

/**
 * The adaptive-threshold LIF over a whole sequence, from rest (see {@link adaptiveLifStep} for the
 * equations). Composite tf.js ops, so autodiff gives the backward pass on every backend.
 * @param x [T, N, ...] float32 input currents
 * @returns spikes, pre-reset potentials `u` and thresholds `theta = vth + a`, each [T, N, ...]
 */
export function adaptiveLif(x: Tensor, p: AdaptiveLIFParams): { spikes: Tensor; u: Tensor; theta: Tensor } {
  return tf.tidy(() => {
    const steps = x.shape[0] as number;
    // Slices rather than tf.unstack: unstack's gradient mishandles a single output (T = 1).
    const xs = Array.from({ length: steps }, (_, t) => tf.squeeze(tf.slice(x, t, 1), [0]));
    const os: Tensor[] = [];
    const us: Tensor[] = [];
    const thetas: Tensor[] = [];
    let state: { u: Tensor; o: Tensor; a: Tensor } | null = null;
    for (const xt of xs) {
      state = adaptiveLifStep(xt, state, p);
      os.push(state.o);
      us.push(state.u);
      thetas.push(tf.add(state.a, p.vth));
    }
    return { spikes: tf.stack(os), u: tf.stack(us), theta: tf.stack(thetas) };
  });
}
