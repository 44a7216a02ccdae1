import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { repeatOverTime } from '../layout/sequence.js';
import type { Encoder, EncoderEntry } from '../registry/kinds.js';

function checkT(where: string, t: number): void {
  check(Number.isInteger(t) && t >= 1, () => `${where}: timesteps must be a positive integer, got ${t}; expected >= 1. Set "timesteps" in the model file.`);
}

/**
 * Direct encoding (the paper's): the analog input is repeated over T and the first conv + norm + LIF
 * act as the encoder.
 */
export function directEncoder(): Encoder {
  return {
    name: 'direct',
    /** @param x [N, ...]; @returns [T, N, ...] */
    encode(x: Tensor, timesteps: number): Tensor {
      checkT('direct encoder', timesteps);
      return repeatOverTime(x, timesteps);
    },
    /** @param x [N, ...]; @returns [1, N, ...]: every step is x */
    encodeOnce(x: Tensor): Tensor {
      return tf.expandDims(x, 0);
    },
  };
}

/**
 * Poisson (Bernoulli) rate encoding: at each step a pixel spikes with probability equal to its
 * intensity clipped to [0, 1]. Seeded: the same seed gives the same spikes.
 */
export function poissonEncoder(options: { seed?: number } = {}): Encoder {
  let calls = 0;
  return {
    name: 'poisson',
    /** @param x [N, ...] intensities in [0, 1]; @returns [T, N, ...] spikes (0/1) */
    encode(x: Tensor, timesteps: number): Tensor {
      checkT('poisson encoder', timesteps);
      const seed = options.seed === undefined ? undefined : options.seed + calls++;
      return tf.tidy(() => {
        const p = tf.clipByValue(x, 0, 1);
        const u = tf.randomUniform([timesteps, ...x.shape], 0, 1, 'float32', seed);
        return tf.cast(tf.less(u, tf.expandDims(p, 0)), 'float32');
      });
    },
  };
}

/**
 * Latency (time-to-first-spike) encoding: each input in [0, 1] fires once, at step
 * `round((1 - x) * (T - 1))` (brighter is earlier); inputs <= `threshold` never fire.
 */
export function latencyEncoder(options: { threshold?: number } = {}): Encoder {
  const threshold = options.threshold ?? 0;
  return {
    name: 'latency',
    /** @param x [N, ...] intensities in [0, 1]; @returns [T, N, ...] spikes (0/1), at most one per input */
    encode(x: Tensor, timesteps: number): Tensor {
      checkT('latency encoder', timesteps);
      return tf.tidy(() => {
        const v = tf.clipByValue(x, 0, 1);
        const when = tf.round(tf.mul(tf.sub(1, v), timesteps - 1));
        const steps = tf.reshape(tf.range(0, timesteps, 1, 'float32'), [timesteps, ...new Array<number>(x.rank).fill(1)]);
        const fires = tf.logicalAnd(tf.equal(steps, tf.expandDims(when, 0)), tf.expandDims(tf.greater(v, threshold), 0));
        return tf.cast(fires, 'float32');
      });
    },
  };
}

/** Registry entries of the built-in encoders. */
export const encoderEntries: Readonly<Record<string, EncoderEntry>> = {
  direct: { description: 'Repeat the analog input over T (the first conv is the encoder).', create: () => directEncoder() },
  poisson: {
    description: 'Bernoulli spikes with probability = intensity.',
    create: (o = {}) => poissonEncoder(typeof o.seed === 'number' ? { seed: o.seed } : {}),
  },
  latency: {
    description: 'One spike per input, earlier for brighter values.',
    create: (o = {}) => latencyEncoder(typeof o.threshold === 'number' ? { threshold: o.threshold } : {}),
  },
};
