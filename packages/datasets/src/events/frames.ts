import { check } from '@deepspike/core';
import type { EventColumns } from '../types.js';
import { messages } from '../messages.js';

/** How to integrate events into frames. */
export interface FrameOptions {
  /** Number of frames T (> 0). */
  readonly frames: number;
  /**
   * `number`: T slices of equal event count (`floor(N/T)` each, the last takes the rest);
   * `time`: T slices of equal duration `floor((t_last - t_first) / T)` µs from the first event, the last one
   * extended to the last event. Both are SpikingJelly's `integrate_events_by_fixed_frames_number` conventions.
   */
  readonly splitBy: 'number' | 'time';
  /** Sensor `[height, width]`; events outside it are dropped (and counted). */
  readonly sensor: readonly [number, number];
  /** Output `[height, width]` (spatial downsampling: event (x, y) goes to `floor(x*W'/W), floor(y*H'/H)`). Default: the sensor. */
  readonly size?: readonly [number, number];
}

/** Integrated frames. */
export interface Frames {
  /** float32 counts laid out `[T, H, W, 2]`; channel 0 = OFF, 1 = ON. */
  readonly data: Float32Array;
  readonly shape: readonly [number, number, number, 2];
  /** Events outside the sensor, not counted. */
  readonly dropped: number;
}

/**
 * Integrates an event stream (sorted by time) into `T` frames of per-pixel, per-polarity event counts.
 * @returns counts `[T, H, W, 2]` (an empty stream gives zero frames)
 */
export function eventsToFrames(ev: EventColumns, options: FrameOptions): Frames {
  const { frames: T, splitBy } = options;
  const [sh, sw] = options.sensor;
  const [h, w] = options.size ?? options.sensor;
  check(Number.isInteger(T) && T > 0, () => messages.badOption('eventsToFrames', 'frames', T, 'a positive integer'));
  check(splitBy === 'number' || splitBy === 'time', () => messages.badOption('eventsToFrames', 'splitBy', splitBy, '"number" or "time"'));
  check(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0 && h <= sh && w <= sw,
    () => messages.badOption('eventsToFrames', 'size', options.size, `[H, W] with 0 < H <= ${sh}, 0 < W <= ${sw}`));
  const data = new Float32Array(T * h * w * 2);
  const n = ev.t.length;
  let dropped = 0;
  if (n === 0) return { data, shape: [T, h, w, 2], dropped };
  const perFrame = Math.floor(n / T);
  const t0 = ev.t[0]!;
  const dt = Math.floor((ev.t[n - 1]! - t0) / T);
  const frame = h * w * 2;
  for (let i = 0; i < n; i++) {
    const x = ev.x[i]!;
    const y = ev.y[i]!;
    if (x >= sw || y >= sh) {
      dropped++;
      continue;
    }
    let f: number;
    if (splitBy === 'number') f = perFrame === 0 ? T - 1 : Math.min(T - 1, Math.floor(i / perFrame));
    else f = dt === 0 ? T - 1 : Math.min(T - 1, Math.floor((ev.t[i]! - t0) / dt));
    const yy = h === sh ? y : Math.floor((y * h) / sh);
    const xx = w === sw ? x : Math.floor((x * w) / sw);
    data[f * frame + (yy * w + xx) * 2 + ev.p[i]!]! += 1;
  }
  return { data, shape: [T, h, w, 2], dropped };
}

/** Divides each frame (all pixels and both polarities) by its largest count, in place; empty frames stay 0. */
export function normalizeFramesByMax(data: Float32Array, frames: number): void {
  const size = data.length / frames;
  for (let f = 0; f < frames; f++) {
    let max = 0;
    for (let i = f * size; i < (f + 1) * size; i++) if (data[i]! > max) max = data[i]!;
    if (max > 0) for (let i = f * size; i < (f + 1) * size; i++) data[i] = data[i]! / max;
  }
}

/** `[off, on]` event counts per frame of `[T, H, W, 2]` frames. */
export function frameCounts(data: Float32Array, frames: number): [number, number][] {
  const size = data.length / frames;
  const out: [number, number][] = [];
  for (let f = 0; f < frames; f++) {
    let off = 0;
    let on = 0;
    for (let i = f * size; i < (f + 1) * size; i += 2) {
      off += data[i]!;
      on += data[i + 1]!;
    }
    out.push([off, on]);
  }
  return out;
}
