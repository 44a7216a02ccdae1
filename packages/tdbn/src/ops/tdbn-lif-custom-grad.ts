import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { lifForwardOps, lifReversePassOps } from '@deepspike/core';
import type { FusedLifOptions, TdbnLifResult } from './tdbn-lif.js';

/** The checked scalars of a tdBN+LIF call. */
export interface TdbnLifScalars {
  /** Channels (the last axis). */
  readonly c: number;
  /** alpha * Vth of the norm. */
  readonly gain: number;
  readonly epsilon: number;
}

/**
 * Training-mode tdBN into the STBP LIF (optionally with a residual added in between) as one
 * `tf.customGrad` over tf.js ops, for backends without DeepSpike's fused kernels (tensorflow through
 * tfjs-node or tfjs-node-gpu, webgl, webgpu). Forward: the composite tdBN (`y = xc * gain*lambda /
 * sqrt(var + eps) + beta`, the float32 operations of `tdbnWithStats`), then core's LIF forward pass.
 * Backward, in closed form: the LIF reverse pass gives `dh`; `dbeta = sum(dh)`,
 * `dlambda = gain * sum(dh * xhat)`, `dx = gain*lambda*invStd * (dh - mean(dh) - xhat*mean(dh*xhat))`
 * per channel, `dresidual = dh`. The tape holds one node instead of the ~20 + 6T of the composition,
 * and keeps xhat, invStd, u and the spikes.
 * @param x [T, N, H, W, C] or [T, N, C], checked by the caller
 */
export function tdbnLifCustomGrad(
  x: Tensor, lambda: Tensor, beta: Tensor, residual: Tensor | null, s: TdbnLifScalars, neuron: Required<FusedLifOptions>,
): TdbnLifResult {
  const m = x.size / s.c;
  let mean: Tensor | null = null;
  let variance: Tensor | null = null;
  const f = tf.customGrad(((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xIn, lIn, bIn, rIn] = args.slice(0, -1) as [Tensor, Tensor, Tensor, Tensor | undefined];
    const fwd = tf.tidy(() => {
      const x2 = tf.reshape(xIn, [m, s.c]);
      const mu = tf.mean(x2, 0);
      const xc = tf.sub(x2, mu);
      const v = tf.mean(tf.square(xc), 0);
      const invStd = tf.rsqrt(tf.add(v, s.epsilon));
      const y2 = tf.add(tf.mul(xc, tf.mul(tf.mul(lIn, s.gain), invStd)), bIn);
      const y = tf.reshape(y2, xIn.shape);
      const h = rIn ? tf.add(y, rIn) : y;
      const { spikes, u } = lifForwardOps(h, neuron.vth, neuron.tau);
      return { mu, v, xhat: tf.mul(xc, invStd), invStd, spikes, u };
    });
    // customGrad runs this forward inside a tidy that keeps only `value`: the statistics leave kept,
    // and are handed to the caller's scope below.
    mean = tf.keep(fwd.mu);
    variance = tf.keep(fwd.v);
    save([fwd.xhat, fwd.invStd, lIn, fwd.u, fwd.spikes]);
    tf.dispose([fwd.xhat, fwd.invStd, fwd.u]);
    return {
      value: fwd.spikes,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xhat, invStd, l, u, spikes] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
        const dh = lifReversePassOps(dy, null, u, spikes, neuron);
        const grads = tf.tidy(() => {
          const d2 = tf.reshape(dh, [m, s.c]);
          const dBeta = tf.sum(d2, 0);
          const dxhat = tf.sum(tf.mul(d2, xhat), 0);
          const dLambda = tf.mul(dxhat, s.gain);
          const centred = tf.sub(tf.sub(d2, tf.div(dBeta, m)), tf.mul(xhat, tf.div(dxhat, m)));
          const dx = tf.reshape(tf.mul(centred, tf.mul(tf.mul(l, s.gain), invStd)), xIn.shape);
          return [dx, dLambda, dBeta];
        });
        return rIn ? [...grads, dh] : (tf.dispose(dh), grads);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const spikes = residual ? f(x, lambda, beta, residual) : f(x, lambda, beta);
  const kept = [mean, variance] as unknown as [Tensor, Tensor];
  const out = { spikes, mean: tf.clone(kept[0]), variance: tf.clone(kept[1]) };
  tf.dispose(kept);
  return out;
}
