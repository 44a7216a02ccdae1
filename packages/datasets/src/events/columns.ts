import type { EventColumns } from '../types.js';

/** Allocates columns for up to `capacity` events. */
export function allocColumns(capacity: number): { t: Float64Array; x: Uint16Array; y: Uint16Array; p: Uint8Array } {
  return { t: new Float64Array(capacity), x: new Uint16Array(capacity), y: new Uint16Array(capacity), p: new Uint8Array(capacity) };
}

/** The first `count` events of `c` (views, no copy). */
export function truncateColumns(c: EventColumns, count: number): EventColumns {
  return { t: c.t.subarray(0, count), x: c.x.subarray(0, count), y: c.y.subarray(0, count), p: c.p.subarray(0, count) };
}

/** Events with `start <= t < end` of a time-sorted stream (a copy), as DVS128 Gesture's `_labels.csv` cuts. */
export function sliceByTime(c: EventColumns, start: number, end: number): EventColumns {
  const out = allocColumns(c.t.length);
  let k = 0;
  for (let i = 0; i < c.t.length; i++) {
    const t = c.t[i]!;
    if (t >= start && t < end) {
      out.t[k] = t;
      out.x[k] = c.x[i]!;
      out.y[k] = c.y[i]!;
      out.p[k] = c.p[i]!;
      k++;
    }
  }
  return { t: out.t.slice(0, k), x: out.x.slice(0, k), y: out.y.slice(0, k), p: out.p.slice(0, k) };
}

/** Number of events. */
export const eventCount = (c: EventColumns): number => c.t.length;
