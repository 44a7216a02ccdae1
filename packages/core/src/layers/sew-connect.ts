import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { layerMessages } from '../messages.js';

/** The element-wise functions g(A, S) of a SEW block (Fang et al. 2021, Table 1). */
export type SewConnect = 'add' | 'and' | 'iand';

/** The connect functions a SEW block accepts, in the paper's order. */
export const SEW_CONNECTS: readonly SewConnect[] = ['add', 'and', 'iand'];

/** Checks a connect-function name. */
export function checkSewConnect(v: unknown, where: string): SewConnect {
  check(typeof v === 'string' && (SEW_CONNECTS as readonly string[]).includes(v), () => layerMessages.sewConnect(where, v));
  return v as SewConnect;
}

/**
 * g(A, S) of Spike-Element-Wise ResNet (Fang et al. NeurIPS 2021, Eq. 4 and Table 1), where A are
 * the residual branch's spikes and S the shortcut's:
 * `add`: A + S; `and`: A ∧ S = A·S; `iand`: (¬A) ∧ S = (1 − A)·S.
 * Written as products so the surrogate gradients of both branches flow through (SpikingJelly's
 * `sew_function` does the same).
 * @param a [T, N, H, W, C] residual-branch spikes
 * @param s [T, N, H, W, C] shortcut spikes (same shape)
 */
export function sewConnect(fn: SewConnect, a: Tensor, s: Tensor): Tensor {
  switch (fn) {
    case 'add':
      return tf.add(a, s);
    case 'and':
      return tf.mul(a, s);
    case 'iand':
      return tf.tidy(() => tf.mul(tf.sub(1, a), s));
  }
}
