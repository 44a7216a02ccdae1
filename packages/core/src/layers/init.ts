import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * Derives the seed of a sub-layer from a parent seed and the sub-layer's dotted path, so every
 * parameter's initial value depends only on (model seed, parameter path): the generated model
 * class and `buildModel` give the same weights, and inserting a layer does not reseed the others.
 * FNV-1a (32 bit) over `"<seed>/<path>"`, folded to a non-negative 31-bit integer.
 * @param seed the parent's seed (an integer)
 * @param path the child's name or dotted path, e.g. `"conv1"` or `"stage2Block1.conv1"`
 */
export function deriveSeed(seed: number, path: string): number {
  const text = `${seed}/${path}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/** The seed of child `name` of a layer seeded with `seed` (undefined stays undefined: unseeded). */
export function childSeed(seed: number | undefined, name: string): number | undefined {
  return seed === undefined ? undefined : deriveSeed(seed, name);
}

/**
 * PyTorch's default initialisation of `nn.Conv2d` / `nn.Linear` weights and biases:
 * `kaiming_uniform_(a = sqrt(5))`, i.e. `U(-b, b)` with `b = gain*sqrt(3/fanIn)`,
 * `gain = sqrt(2/(1 + a^2)) = sqrt(1/3)`, hence `b = 1/sqrt(fanIn)` — the same bound PyTorch uses for
 * the bias. (Values differ from PyTorch's: the generators differ; the distribution is the same.)
 * @param shape the tensor's shape
 * @param fanIn inputs feeding one output (`kh*kw*cin` for a conv, `in` for a linear layer)
 * @param seed integer seed; undefined draws from Math.random
 */
export function kaimingUniform(shape: readonly number[], fanIn: number, seed?: number): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform([...shape], -bound, bound, 'float32', seed);
}
