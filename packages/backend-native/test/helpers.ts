import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { nativeAvailable, registerNativeBackend, loadAddon } from '@deepspike/backend-native';
import type { TdbnImplementation, TdbnOptions } from '@deepspike/tdbn';

/** Whether the addon is built; tests call {@link skipWithoutAddon} in `before`. */
export const HAVE_ADDON = nativeAvailable();

/** Skips the suite (not fails) with the reason when the addon is not built. */
export function skipWithoutAddon(ctx: Mocha.Context): void {
  if (!HAVE_ADDON) {
    console.log(`      (skipped: the native addon is not built — run \`npm run build:native -w @deepspike/backend-native\`)`);
    ctx.skip();
  }
}

/** cpu active, native registered. */
export async function setup(): Promise<void> {
  await initBackend('cpu', { log: () => {} });
  registerNativeBackend();
}

/** Runs `fn` under a backend and returns its values (as plain arrays), disposing everything. */
export function under<T extends tf.Tensor | tf.Tensor[]>(backend: string, fn: () => T): Float32Array[] {
  const prev = tf.getBackend();
  tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const r = fn();
      return (Array.isArray(r) ? r : [r]).map((t) => t.dataSync() as Float32Array);
    });
  } finally {
    tf.setBackend(prev);
  }
}

/** Max |a-b| / (atol + rtol*|b|) over the elements: <= 1 means close. */
export function closeness(a: Float32Array, b: Float32Array, atol: number, rtol: number): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / (atol + rtol * Math.abs(b[i] as number));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** Deterministic pseudo-random floats in [lo, hi). */
export function rand(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((p, q) => p * q, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    v[i] = lo + ((s % 1000003) / 1000003) * (hi - lo);
  }
  return tf.tensor(v, shape);
}

export { loadAddon };

/** The kernels `fn` runs, by name. */
export function kernelsRun(fn: () => void): string[] {
  const names: string[] = [];
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const runKernel = engine.runKernel;
  engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) {
    names.push(name);
    return runKernel.call(this, name, ...rest);
  };
  try {
    fn();
  } finally {
    engine.runKernel = runKernel;
  }
  return names;
}

/** How many elements of a and b differ (bitwise-equal outputs give 0). */
export function mismatches(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** A fused tdBN+LIF op's outputs: spikes (or pooled), mean, variance. */
export interface FusedOut {
  spikes: tf.Tensor;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/**
 * `[out, mean, variance, dx, dLambda, dBeta]` of a fused tdBN+LIF op (tdBN alpha 1/sqrt2, Vth 0.5,
 * eps 1e-5; fixed lambda, beta and output gradient g from seeds 11-13), the gradients those of
 * sum(out * g). `op` runs the op on x with the norm options it is given.
 */
export function fusedOpRun(
  x: tf.Tensor, outShape: number[], implementation: TdbnImplementation,
  op: (x: tf.Tensor, norm: TdbnOptions) => FusedOut,
): tf.Tensor[] {
  const c = x.shape[x.rank - 1] as number;
  const lambda = tf.add(1, tf.mul(0.3, rand([c], 11)));
  const beta = tf.mul(0.2, rand([c], 12));
  const g = rand(outShape, 13);
  const norm = { alpha: Math.SQRT1_2, vth: 0.5, lambda, beta, epsilon: 1e-5, implementation };
  const f = (xx: tf.Tensor, l: tf.Tensor, b: tf.Tensor): tf.Tensor => {
    const out = op(xx, { ...norm, lambda: l, beta: b });
    tf.dispose([out.mean, out.variance]);
    return tf.sum(tf.mul(out.spikes, g));
  };
  const stats = op(x, norm);
  return [stats.spikes, stats.mean, stats.variance, ...tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([x, lambda, beta])];
}
