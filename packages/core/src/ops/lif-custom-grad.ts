import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { surrogateGrad } from './surrogate-grad.js';
import { unstackTime } from './unstack-time.js';

/** Scalar options of the LIF passes below (as `lif` resolves them). */
export interface LIFPassOptions {
  readonly vth: number;
  readonly tau: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/**
 * The `DeepSpikeLIF` forward pass (kernels/README.md) in tf.js ops, one step per time index, in the
 * kernel's float32 order: `u[t] = fround(tau*u[t-1]) * (1 - o[t-1]) + x[t]`, `o[t] = H(u[t] - vth)`.
 * Not differentiable by itself: run it inside `tf.customGrad` (or with the tape off).
 * @param x [T, ...] float32
 * @returns spikes and pre-reset potentials, both x's shape
 */
export function lifForwardOps(x: Tensor, vth: number, tau: number): { spikes: Tensor; u: Tensor } {
  return tf.tidy(() => {
    const steps = unstackTime(x);
    const us: Tensor[] = [];
    const os: Tensor[] = [];
    for (const [t, xt] of steps.entries()) {
      const u = t === 0 ? xt : tf.add(tf.mul(tf.mul(us[t - 1] as Tensor, tau), tf.sub(1, os[t - 1] as Tensor)), xt);
      us.push(u);
      os.push(tf.cast(tf.greaterEqual(u, vth), 'float32'));
    }
    return { spikes: tf.stack(os), u: tf.stack(us) };
  });
}

/**
 * The `DeepSpikeLIFGrad` reverse pass (kernels/README.md) in tf.js ops:
 * `go = dSpikes[t] - (detachReset ? 0 : gu[t+1]*tau*u[t])`,
 * `gu[t] = dU[t] + go*sg[t] + gu[t+1]*tau*(1 - spikes[t])`, `dx[t] = gu[t]`, with
 * `sg = g'(u - vth)`.
 * @param dSpikes upstream gradient of the spikes ([T, ...]), or null for none
 * @param dU upstream gradient of u ([T, ...]), or null for none
 * @returns dx, [T, ...]
 */
export function lifReversePassOps(dSpikes: Tensor | null, dU: Tensor | null, u: Tensor, spikes: Tensor, opts: LIFPassOptions): Tensor {
  return tf.tidy(() => {
    const t = u.shape[0] as number;
    const sg = unstackTime(surrogateGrad(tf.sub(u, opts.vth), opts.surrogate));
    const us = unstackTime(u);
    const os = unstackTime(spikes);
    const dSs = dSpikes ? unstackTime(dSpikes) : null;
    const dUs = dU ? unstackTime(dU) : null;
    const dx: Tensor[] = new Array<Tensor>(t);
    let next: Tensor | null = null; // gu[t+1]
    for (let i = t - 1; i >= 0; i--) {
      let go: Tensor | null = dSs ? (dSs[i] as Tensor) : null;
      if (next && !opts.detachReset) {
        const viaReset = tf.mul(next, tf.mul(us[i] as Tensor, -opts.tau));
        go = go ? tf.add(go, viaReset) : viaReset;
      }
      let gu: Tensor = go ? tf.mul(go, sg[i] as Tensor) : tf.zerosLike(us[i] as Tensor);
      if (dUs) gu = tf.add(gu, dUs[i] as Tensor);
      if (next) gu = tf.add(gu, tf.mul(next, tf.mul(tf.sub(1, os[i] as Tensor), opts.tau)));
      dx[i] = gu;
      next = gu;
    }
    return tf.stack(dx);
  });
}

/**
 * LIF over T as one `tf.customGrad` over tf.js ops: the forward pass is {@link lifForwardOps} and the
 * gradient {@link lifReversePassOps}, so the tape holds one node per layer (not ~6 per time step)
 * and keeps only u and the spikes, as the fused kernels do. This is what `lif` runs on backends
 * without DeepSpike's kernels: `tensorflow` (tfjs-node, tfjs-node-gpu), webgl, webgpu. Values equal
 * the fused kernels' bit for bit; gradients to float32 rounding.
 * @param x [T, ...] float32 currents
 */
export function lifCustomGrad(x: Tensor, opts: LIFPassOptions): { spikes: Tensor; u: Tensor } {
  // customGrad has one output: spikes and u travel stacked on a leading axis of 2, and the unstack
  // below hands the reverse pass zeros for an output no loss reached.
  const f = tf.customGrad(((xIn: Tensor, save: tf.GradSaveFunc) => {
    const { spikes, u } = lifForwardOps(xIn, opts.vth, opts.tau);
    save([u, spikes]);
    const value = tf.stack([spikes, u]);
    tf.dispose([spikes, u]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [dSpikes, dU] = tf.unstack(dy);
        return lifReversePassOps(dSpikes as Tensor, dU as Tensor, saved[0] as Tensor, saved[1] as Tensor, opts);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => {
    const [spikes, u] = tf.unstack(f(x));
    return { spikes: spikes as Tensor, u: u as Tensor };
  });
}
