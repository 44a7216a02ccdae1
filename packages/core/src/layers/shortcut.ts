import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from './layer.js';
import type { Conv2d } from './conv2d.js';

/**
 * A residual block's shortcut branch: the input itself, or `norm(conv(x))` (a 1x1 projection, the
 * norm optional) when the block changes shape.
 */
export function shortcut(x: Tensor, conv: Conv2d | null, norm: Layer | null): Tensor {
  if (!conv) return x;
  const s = conv.forward(x);
  return norm ? norm.forward(s) : s;
}
