import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Surrogate } from '../registry/kinds.js';
import { DEEPSPIKE_SURROGATE_GRAD, type SurrogateGradAttrs } from '../kernels/names.js';
import { backendHasKernels, registerCpuKernels } from '../kernels/register.js';

/**
 * Elementwise surrogate derivative `g'(x)` as a float32 tensor of x's shape. Runs the
 * `DeepSpikeSurrogateGrad` kernel when the active backend has one; else the surrogate's
 * `derivativeOps` (tf.js ops, on the device) when it has them; otherwise reads x and maps the
 * surrogate's JS `derivative` over it, which works for every surrogate, plugins' included.
 * @param x any shape, float32 (typically `u - vth`)
 */
export function surrogateGrad(x: Tensor, surrogate: Surrogate): Tensor {
  registerCpuKernels();
  if (backendHasKernels(DEEPSPIKE_SURROGATE_GRAD)) {
    const attrs: SurrogateGradAttrs = { surrogate };
    return tf.engine().runKernel(DEEPSPIKE_SURROGATE_GRAD, { x }, attrs as unknown as tf.NamedAttrMap) as Tensor;
  }
  if (typeof surrogate.derivativeOps === 'function') return surrogate.derivativeOps(x);
  const xs = x.dataSync() as Float32Array;
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = surrogate.derivative(xs[i] as number);
  return tf.tensor(out, x.shape, 'float32');
}
