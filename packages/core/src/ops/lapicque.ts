import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { spike } from './spike.js';
import { stopGradient } from './stop-gradient.js';

/** Scalar options of the Lapicque (RC-circuit) neuron, see {@link lapicqueStep}. */
export interface LapicqueStepOptions {
  readonly vth: number;
  /** Membrane resistance R (> 0). */
  readonly resistance: number;
  /** Membrane capacitance C (> 0). */
  readonly capacitance: number;
  /** Time step dt (> 0, at most R*C so the leak factor stays in [0, 1)). */
  readonly timeStep: number;
  /** `subtract`: u loses vth after a spike (snnTorch's default); `zero`: the old potential is cleared. */
  readonly reset: 'subtract' | 'zero';
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/** The leak factor `k = 1 - dt/(R*C)` and input gain `g = dt/C` of the Euler-discretised RC circuit. */
export function lapicqueFactors(o: Pick<LapicqueStepOptions, 'resistance' | 'capacitance' | 'timeStep'>): { k: number; g: number } {
  return { k: 1 - o.timeStep / (o.resistance * o.capacitance), g: o.timeStep / o.capacitance };
}

/**
 * One step of the Lapicque neuron (snnTorch `Lapicque`: `R*C*du/dt = -u + R*I`, forward Euler at dt),
 * from the previous pre-reset potential and spikes (null at t = 0), with `k = 1 - dt/(R*C)`, `g = dt/C`:
 * reset `subtract`: `u[t] = k*u[t-1] + g*x[t] - vth*o[t-1]`;
 * reset `zero`: `u[t] = k*u[t-1]*(1 - o[t-1]) + g*x[t]` (the STBP/NIR LIF with `tau = R*C`, `r = R`);
 * `o[t] = H(u[t] - vth)`. Differentiable in x and every earlier state.
 * @param x [N, ...] input current of this step
 */
export function lapicqueStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null, opts: LapicqueStepOptions): { u: Tensor; o: Tensor } {
  return tf.tidy(() => {
    const { k, g } = lapicqueFactors(opts);
    let u = tf.mul(x, g);
    if (prev !== null) {
      const o = opts.detachReset ? stopGradient(prev.o) : prev.o;
      u = opts.reset === 'subtract'
        ? tf.sub(tf.add(tf.mul(prev.u, k), u), tf.mul(o, opts.vth))
        : tf.add(tf.mul(tf.mul(prev.u, k), tf.sub(1, o)), u);
    }
    return { u, o: spike(tf.sub(u, opts.vth), opts.surrogate) };
  });
}

/**
 * The Lapicque neuron over T with composite tf ops (autodiff gives STBP through time).
 * @param x [T, ...] input currents
 * @returns spikes and pre-reset potentials, each [T, ...]
 */
export function lapicque(x: Tensor, opts: LapicqueStepOptions): { spikes: Tensor; u: Tensor } {
  return tf.tidy(() => {
    const xs = x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
    const os: Tensor[] = [];
    const us: Tensor[] = [];
    let prev: { u: Tensor; o: Tensor } | null = null;
    for (const xt of xs) {
      prev = lapicqueStep(xt, prev, opts);
      os.push(prev.o);
      us.push(prev.u);
    }
    return { spikes: tf.stack(os), u: tf.stack(us) };
  });
}
