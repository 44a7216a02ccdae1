import * as tf from '@tensorflow/tfjs-core';

/** The median of `values` (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values; expected at least one.');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Median wall time in ms of `f` over `reps` timed calls, each reading every output back (so lazy
 * backends finish) and disposing it, after `warmup` untimed calls (kernel registration, wasm
 * compilation).
 */
export function medianTimeMs(f: () => tf.Tensor | tf.Tensor[], reps: number, warmup = 1): number {
  for (let w = 0; w < warmup; w++) tf.dispose(f());
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const o = f();
    for (const t of Array.isArray(o) ? o : [o]) t.dataSync();
    ts.push(performance.now() - t0);
    tf.dispose(o);
  }
  return median(ts);
}
