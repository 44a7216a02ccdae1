import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, type LIFAttrs, type LIFGradAttrs } from '../kernels/names.js';
import { surrogateGrad } from './surrogate-grad.js';

/**
 * LIF with a learnable decay `tau = sigmoid(w)` (PLIF) on the fused kernels: `DeepSpikeLIF` forward
 * with the current tau, and a backward that runs `DeepSpikeLIFGrad` for dx = gu and adds
 * `dL/dw = sigmoid'(w) * sum_{t>=1} gu[t] * u[t-1]*(1 - o[t-1])` (since `u[t] = tau*v_post[t-1] + x[t]`).
 * The caller checks that the backend has both kernels.
 * @param x [T, ...] float32 currents
 * @param w scalar logit of the decay
 * @returns [T, ...] spikes (differentiable in x and w)
 */
export function plifFused(x: Tensor, w: Tensor, opts: { vth: number; surrogate: Surrogate; detachReset: boolean }): Tensor {
  const f = tf.customGrad(((xx: Tensor, ww: Tensor, save: tf.GradSaveFunc) => {
    const tau = tf.tidy(() => tf.sigmoid(ww).dataSync()[0] as number);
    const attrs: LIFAttrs = { vth: opts.vth, tau };
    const [spikes, u] = tf.engine().runKernel(DEEPSPIKE_LIF, { x: xx }, attrs as unknown as tf.NamedAttrMap) as [Tensor, Tensor];
    save([spikes, u]);
    return {
      value: spikes,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [o, uu] = saved as [Tensor, Tensor];
        const sg = surrogateGrad(tf.sub(uu, opts.vth), opts.surrogate);
        const gradAttrs: LIFGradAttrs = { tau, detachReset: opts.detachReset };
        const gu = tf.engine().runKernel(DEEPSPIKE_LIF_GRAD, { dSpikes: dy, dU: tf.zerosLike(uu), u: uu, spikes: o, sg }, gradAttrs as unknown as tf.NamedAttrMap) as Tensor;
        const t = uu.shape[0] as number;
        let dTau: Tensor = tf.scalar(0);
        if (t > 1) {
          const rest = uu.shape.slice(1).map(() => -1);
          const vPost = tf.mul(tf.slice(uu, [0], [t - 1, ...rest]), tf.sub(1, tf.slice(o, [0], [t - 1, ...rest])));
          dTau = tf.sum(tf.mul(tf.slice(gu, [1], [t - 1, ...rest]), vPost));
        }
        const s = tf.sigmoid(ww);
        return [gu, tf.mul(dTau, tf.mul(s, tf.sub(1, s)))];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, w);
}
