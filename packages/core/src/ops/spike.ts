import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import type { Surrogate } from '../registry/kinds.js';
import { spikingMessages } from '../messages.js';
import { surrogateGrad } from './surrogate-grad.js';

/** Whether `s` looks like a {@link Surrogate} (has a `derivative` function and a name). */
export function isSurrogate(s: unknown): s is Surrogate {
  return typeof s === 'object' && s !== null && typeof (s as Surrogate).derivative === 'function' && typeof (s as Surrogate).name === 'string';
}

/**
 * The spike nonlinearity with a surrogate gradient: forward Heaviside `H(v) = v >= 0 ? 1 : 0`
 * (so `H(0) = 1`), backward `dL/dv = dy * g'(v)` with `g' = surrogate.derivative`.
 * @param v any shape, float32 (usually `u - Vth`)
 * @param surrogate e.g. `rect({alpha: 1})` from @deepspike/surrogate
 * @returns float32 0/1 spikes, v's shape
 * @throws InvalidArgumentError when `surrogate` is not a Surrogate
 */
export function spike(v: Tensor, surrogate: Surrogate): Tensor {
  check(isSurrogate(surrogate), () => spikingMessages.surrogate('spike', surrogate));
  check(v.dtype === 'float32', () => spikingMessages.dtype('spike', v.dtype));
  // The input is saved through customGrad's save (a kept clone): tidy scopes around the forward
  // pass dispose their intermediates before backprop runs.
  const f = tf.customGrad(((x: Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.cast(tf.greaterEqual(x, 0), 'float32'),
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, surrogateGrad(saved[0] as Tensor, surrogate)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(v);
}
