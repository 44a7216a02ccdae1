import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';

/**
 * Global-norm gradient clipping (`torch.nn.utils.clip_grad_norm_`): with `n = √(Σ ||g_i||²)`,
 * every gradient is scaled by `min(1, maxNorm / (n + 1e-6))`.
 * @param grads gradients by parameter name (not disposed)
 * @param maxNorm the largest allowed global L2 norm (> 0)
 * @returns the clipped gradients (new tensors, owned by the caller) and the norm before clipping
 */
export function clipByGlobalNorm(grads: ReadonlyMap<string, Tensor>, maxNorm: number): { grads: Map<string, Tensor>; norm: number } {
  check(Number.isFinite(maxNorm) && maxNorm > 0, () => messages.clipNorm(maxNorm));
  const normT = tf.tidy(() => {
    let s: Tensor = tf.scalar(0);
    for (const g of grads.values()) s = tf.add(s, tf.sum(tf.square(g)));
    return tf.sqrt(s);
  });
  const norm = normT.dataSync()[0] as number;
  normT.dispose();
  const scale = Math.min(1, maxNorm / (norm + 1e-6));
  const out = new Map<string, Tensor>();
  for (const [k, g] of grads) out.set(k, scale === 1 ? tf.clone(g) : tf.mul(g, scale));
  return { grads: out, norm };
}
