import * as tf from '@tensorflow/tfjs-core';
import { initBackend, lif, stbpRectangle, type BackendName } from '@deepspike/core';
import { REF } from './workloads.js';
import { median } from '@deepspike/core/testing';

/** Result of {@link runLifBench}: median ms of LIF forward + backward, fused kernels vs composite ops. */
export interface LifBenchResult {
  readonly backend: string;
  readonly shape: number[];
  readonly fusedMs: number;
  readonly compositeMs: number;
  /** compositeMs / fusedMs (the target: >= 3). */
  readonly speedup: number;
}


/**
 * Times LIF forward + backward (`tf.grad` of `sum(spikes * g)`) on `shape` (default the issue's
 * `[4, 64, 28, 28, 32]`) with the fused kernels and with composite tf.js ops, on one backend.
 */
export async function runLifBench(opts: { backend?: BackendName; shape?: number[]; reps?: number } = {}): Promise<LifBenchResult> {
  const report = await initBackend(opts.backend, { log: () => {} });
  const shape = opts.shape ?? [4, 64, 28, 28, 32];
  const reps = opts.reps ?? 5;
  const x = tf.randomNormal(shape, 0.4, 0.6, 'float32', 1);
  const g = tf.randomNormal(shape, 0, 1, 'float32', 2);
  const time = (implementation: 'fused' | 'composite'): number => {
    const o = { vth: REF.vth, tau: REF.tau, surrogate: stbpRectangle(1 / REF.a), detachReset: false, implementation };
    const ts: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const t0 = performance.now();
      tf.tidy(() => {
        const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lif(xx, o).spikes, g)))(x);
        dx.dataSync();
      });
      if (i > 0) ts.push(performance.now() - t0);
    }
    return median(ts);
  };
  const fusedMs = time('fused');
  const compositeMs = time('composite');
  tf.dispose([x, g]);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return { backend: report.backend, shape, fusedMs: r2(fusedMs), compositeMs: r2(compositeMs), speedup: r2(compositeMs / fusedMs) };
}
