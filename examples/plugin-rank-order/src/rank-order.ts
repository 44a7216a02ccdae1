import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check, type Encoder } from '@deepspike/core';

/**
 * Rank-order encoding: within each sample, inputs are ranked by intensity and the brightest fire
 * first. Each input above `threshold` fires exactly once, at step `floor(rank * T / count)`, where
 * `rank` is its 0-based position in descending order among the sample's firing inputs; ties keep
 * index order.
 */
export function rankOrderEncoder(options: { threshold?: number } = {}): Encoder {
  const threshold = options.threshold ?? 0;
  return {
    name: 'rank-order',
    /** @param x [N, ...] intensities; @returns [T, N, ...] spikes, one per input above threshold */
    encode(x: Tensor, timesteps: number): Tensor {
      check(Number.isInteger(timesteps) && timesteps >= 1, () => `rank-order encoder: timesteps must be a positive integer, got ${timesteps}; expected >= 1.`);
      const n = x.shape[0] as number;
      const per = x.size / n;
      const values = x.dataSync();
      const out = new Float32Array(timesteps * x.size);
      const order = new Array<number>(per);
      for (let s = 0; s < n; s++) {
        const base = s * per;
        let count = 0;
        for (let i = 0; i < per; i++) if ((values[base + i] as number) > threshold) order[count++] = i;
        const firing = order.slice(0, count).sort((a, b) => (values[base + b] as number) - (values[base + a] as number) || a - b);
        firing.forEach((i, rank) => {
          const t = Math.floor((rank * timesteps) / count);
          out[t * x.size + base + i] = 1;
        });
      }
      return tf.tensor(out, [timesteps, ...x.shape]);
    },
  };
}
