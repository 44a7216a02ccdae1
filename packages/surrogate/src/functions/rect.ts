import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * The paper's rectangle (STBP, Zheng et al. 2021; SpikingJelly `Rect`):
 * `g'(x) = alpha * 1(|x| < 0.5/alpha)` (strict `<`), primitive `g(x) = clamp(alpha*x + 1/2, 0, 1)`.
 * With the paper's window width `a`, `alpha = 1/a` (see {@link rectangular}).
 */
export const rectFamily: SurrogateFamily<{ alpha: number }> = {
  name: 'rect',
  description: "The STBP rectangle: alpha inside the window |x| < 0.5/alpha (the paper's a = 1/alpha), 0 outside.",
  params: { alpha: { default: 1, min: 0, exclusive: true, description: 'Height of the window, 1/a (window width a = 1/alpha).' } },
  build: ({ alpha }) => ({
    derivative: (x) => (Math.abs(x) < 0.5 / alpha ? alpha : 0),
    derivativeOps: (x) => tf.tidy(() => tf.mul(tf.cast(tf.less(tf.abs(x), 0.5 / alpha), 'float32'), alpha)),
    primitive: (x) => Math.min(1, Math.max(0, alpha * x + 0.5)),
  }),
};

/**
 * Rectangular surrogate. @param params.alpha window height (default 1, > 0); window `|x| < 0.5/alpha`.
 * @returns `{name: 'rect', params: {alpha}}`
 */
export function rect(params: { alpha?: number } = {}): Surrogate {
  return createSurrogate(rectFamily, params);
}
