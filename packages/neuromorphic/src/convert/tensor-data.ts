import type { Tensor } from '@tensorflow/tfjs-core';

/** A tensor's values as a Float32Array copy (synchronous read). */
export function dataSync(t: Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as ArrayLike<number>);
}
