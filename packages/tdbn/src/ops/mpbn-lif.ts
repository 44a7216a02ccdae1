import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { spike, stopGradient, type Surrogate } from '@deepspike/core';

/** The LIF-family neuron MPBN runs inside: `u[t] = tau*u[t-1]*(1 - o[t-1]) + x[t]` (IF: tau = 1). */
export interface MpbnNeuron {
  readonly vth: number;
  /** Decay: a number, or a scalar tensor for a learnable decay (PLIF's sigmoid(w)). */
  readonly tau: number | Tensor;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/** The norm's parameters and statistics. */
export interface MpbnParams {
  /** [C] */
  readonly lambda: Tensor;
  /** [C] */
  readonly beta: Tensor;
  readonly epsilon: number;
  /** Inference: [C] running statistics (normalise with them); training: null (per-step batch statistics). */
  readonly running: { readonly mean: Tensor; readonly variance: Tensor } | null;
}

/** What {@link mpbnLif} computed. */
export interface MpbnLifResult {
  /** [T, ...] spikes */
  readonly spikes: Tensor;
  /** [T, ...] the charged (pre-reset) membrane potential u */
  readonly u: Tensor;
  /** [T, ...] the normalised potential compared with vth */
  readonly uhat: Tensor;
  /** Training: per-step batch means and biased variances [T, C]; inference: null. */
  readonly stats: { readonly mean: Tensor; readonly variance: Tensor } | null;
}

/**
 * Membrane potential batch normalisation (Guo et al., "Membrane Potential Batch Normalization for
 * Spiking Neural Networks", ICCV 2023) inside a LIF neuron, per step after the charge and before the
 * fire: `u[t] = tau*u[t-1]*(1 - o[t-1]) + x[t]`, `û[t] = lambda*(u[t] - mu[t])/sqrt(var[t] + eps) + beta`,
 * `o[t] = H(û[t] - vth)`. The reset acts on u (the state is not normalised). Training: `mu[t]`,
 * `var[t]` are the batch statistics of u[t] per channel over N (and H, W), biased variance;
 * inference: the running statistics, which is a per-channel threshold on u ({@link mpbnFoldedThreshold}).
 * Differentiable in x, lambda, beta (and a tensor tau), through the statistics too.
 * @param x [T, N, H, W, C] or [T, N, C] input currents
 */
export function mpbnLif(x: Tensor, norm: MpbnParams, neuron: MpbnNeuron): MpbnLifResult {
  const r = tf.tidy(() => {
    const xs = x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
    const axes = Array.from({ length: x.rank - 2 }, (_, i) => i);
    const os: Tensor[] = [];
    const us: Tensor[] = [];
    const uhs: Tensor[] = [];
    const means: Tensor[] = [];
    const vars: Tensor[] = [];
    let u: Tensor | null = null;
    let o: Tensor | null = null;
    for (const xt of xs) {
      if (u === null || o === null) u = tf.clone(xt);
      else u = tf.add(tf.mul(tf.mul(u, neuron.tau), tf.sub(1, neuron.detachReset ? stopGradient(o) : o)), xt);
      let mean: Tensor;
      let variance: Tensor;
      if (norm.running) ({ mean, variance } = norm.running);
      else {
        const m = tf.moments(u, axes);
        mean = m.mean;
        variance = m.variance;
        means.push(mean);
        vars.push(variance);
      }
      const uhat = tf.add(tf.mul(tf.mul(tf.sub(u, mean), tf.rsqrt(tf.add(variance, norm.epsilon))), norm.lambda), norm.beta);
      o = spike(tf.sub(uhat, neuron.vth), neuron.surrogate);
      os.push(o);
      us.push(u);
      uhs.push(uhat);
    }
    const stats = norm.running ? {} : { mean: tf.stack(means), variance: tf.stack(vars) };
    return { spikes: tf.stack(os), u: tf.stack(us), uhat: tf.stack(uhs), ...stats };
  }) as { spikes: Tensor; u: Tensor; uhat: Tensor; mean?: Tensor; variance?: Tensor };
  return { spikes: r.spikes, u: r.u, uhat: r.uhat, stats: r.mean && r.variance ? { mean: r.mean, variance: r.variance } : null };
}

/**
 * MPBN's re-parameterisation for inference: with the running statistics, `û >= vth` is
 * `u >= vth'` per channel, `vth' = (vth - beta)*sqrt(var + eps)/lambda + mu` (for lambda > 0; a channel
 * with lambda < 0 fires below it, and lambda = 0 fires always or never), so the folded neuron is the
 * plain LIF with a per-channel threshold and no norm.
 * @returns [C] thresholds on u
 */
export function mpbnFoldedThreshold(vth: number, lambda: ArrayLike<number>, beta: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, epsilon: number): Float64Array {
  return Float64Array.from({ length: lambda.length }, (_, i) => ((vth - (beta[i] as number)) * Math.sqrt((variance[i] as number) + epsilon)) / (lambda[i] as number) + (mean[i] as number));
}
