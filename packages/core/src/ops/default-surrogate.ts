import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';

/**
 * The paper's rectangular surrogate, `g'(x) = alpha * 1(|x| < 0.5/alpha)` (window width a = 1/alpha),
 * primitive `clamp(alpha*x + 1/2, 0, 1)`. Core keeps this one copy so neurons have a default without
 * importing @deepspike/surrogate (which depends on core); it is the same function, name and params as
 * `rect({alpha})` there, so fused kernels treat both alike.
 * @param alpha window height 1/a (default 1)
 */
export function stbpRectangle(alpha = 1): Surrogate {
  const half = 0.5 / alpha;
  return Object.freeze({
    name: 'rect',
    params: Object.freeze({ alpha }),
    derivative: (x: number) => (Math.abs(x) < half ? alpha : 0),
    primitive: (x: number) => Math.min(1, Math.max(0, alpha * x + 0.5)),
    derivativeOps: (x: tf.Tensor) => tf.tidy(() => tf.mul(tf.cast(tf.less(tf.abs(x), half), 'float32'), alpha)),
  });
}
