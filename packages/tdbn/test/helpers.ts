import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@deepspike/core';

/**
 * The backends every numeric test runs on: cpu and wasm, or the comma-separated list in
 * `DEEPSPIKE_TEST_BACKENDS` (e.g. `cpu,wasm,deepspike-native` once the native backend is built).
 */
export const BACKENDS: readonly BackendName[] = (process.env.DEEPSPIKE_TEST_BACKENDS ?? 'cpu,wasm')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b.length > 0) as BackendName[];

/** Activates `backend` silently. */
export async function useBackend(backend: BackendName): Promise<void> {
  await initBackend(backend, { log: () => {} });
}

/** A deterministic float32 array (mulberry32 + Box-Muller), N(mean, std). */
export function randn(n: number, seed: number, mean = 0, std = 1): Float32Array {
  let s = seed >>> 0;
  const uni = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(uni(), 1e-12);
    out[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uni());
  }
  return out;
}

/** A float32 tensor of deterministic normal values. */
export function randnTensor(shape: number[], seed: number, mean = 0, std = 1): tf.Tensor {
  return tf.tensor(randn(shape.reduce((a, b) => a * b, 1), seed, mean, std), shape, 'float32');
}
