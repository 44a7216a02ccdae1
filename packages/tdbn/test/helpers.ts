import * as tf from '@tensorflow/tfjs-core';
import { initBackend, seededRandom, type BackendName } from '@deepspike/core';

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
  const uni = seededRandom(seed);
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
