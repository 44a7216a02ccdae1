/**
 * Simulated saccades: turns a static grey image into the event stream an event camera (DVS/ATIS)
 * would record while it is moved in front of the image, the way N-MNIST was made (Orchard et al.
 * 2015: an ATIS sensor on a pan-tilt unit makes three saccades along an isosceles triangle in front
 * of an MNIST digit on a monitor; 34×34 pixel output, ON and OFF events).
 *
 * Model of the recording, step by step:
 * 1. The `size`×`size` image is placed in the middle of a `sensor`×`sensor` field of view
 *    (28 → 34 as N-MNIST, a margin of 3 pixels) and translated by a displacement `d(s)` that moves
 *    in `stepsPerSaccade` equal sub-steps along each of the three sides of a triangle
 *    {@link SACCADE_TRIANGLE} (V0 → V1 → V2 → V0), sampled with bilinear interpolation (sub-pixel motion).
 * 2. Each pixel sees the log intensity `L = ln(I + offset)` (I in [0, 1]) and keeps the level
 *    `Lref` at which it last fired (initially its level before the first sub-step).
 * 3. At each sub-step, a pixel whose `L − Lref ≥ θ` emits `k = floor((L − Lref)/θ)` ON events
 *    (polarity 1) and raises `Lref` by `k·θ`; one with `Lref − L ≥ θ` emits OFF events (polarity 0)
 *    the same way. A constant image therefore emits nothing; a moving edge emits ON events on the
 *    side it brightens and OFF events on the side it darkens.
 * 4. Events carry the sub-step's time `s·dtUs` (µs) and are binned into `frames` frames of equal
 *    duration (sub-step `s` of `S = 3·stepsPerSaccade` goes to frame `floor(s·frames/S)`), giving
 *    event counts `[T, H, W, 2]` with channel 0 = OFF, 1 = ON (the convention of
 *    `@deepspike/datasets`' `eventsToFrames`).
 * No sensor noise, refractory period or latency is simulated; the generator is deterministic.
 */
import { check } from '@deepspike/core';
import type { EventColumns } from '../types.js';
import { messages } from '../messages.js';

/** Displacements (dx, dy) in pixels of the triangle's corners, relative to the centred image. */
export const SACCADE_TRIANGLE: readonly (readonly [number, number])[] = [
  [0, -2],
  [2, 2],
  [-2, 2],
];

/** Options of the saccade generator (all have N-MNIST-like defaults). */
export interface SaccadeOptions {
  /** Side of the (square) input image (default 28). */
  readonly size?: number;
  /** Side of the (square) sensor field of view (default 34, as N-MNIST). */
  readonly sensor?: number;
  /** Sub-steps per saccade (default 10; 3 saccades). */
  readonly stepsPerSaccade?: number;
  /** Contrast threshold θ on the log intensity (default 0.2). */
  readonly threshold?: number;
  /** Offset of the log, `ln(I + offset)` (default 0.05), so black pixels stay finite. */
  readonly offset?: number;
  /** Duration of one sub-step in µs (default 10 000: three 100 ms saccades, as N-MNIST). */
  readonly dtUs?: number;
  /** Frames T of {@link saccadeFrames} (default 6). */
  readonly frames?: number;
}

/** The options with their defaults filled in. */
export type ResolvedSaccadeOptions = Required<SaccadeOptions>;

/** Events of one recording, in time order (µs timestamps, 0 = OFF / 1 = ON): the dataset package's {@link EventColumns}. */
export type SaccadeEvents = EventColumns;

/** Fills in and checks the generator's options. */
export function resolveSaccadeOptions(options: SaccadeOptions = {}): ResolvedSaccadeOptions {
  const o: ResolvedSaccadeOptions = {
    size: options.size ?? 28,
    sensor: options.sensor ?? 34,
    stepsPerSaccade: options.stepsPerSaccade ?? 10,
    threshold: options.threshold ?? 0.2,
    offset: options.offset ?? 0.05,
    dtUs: options.dtUs ?? 10_000,
    frames: options.frames ?? 6,
  };
  const int = (k: keyof ResolvedSaccadeOptions, min: number): void =>
    check(Number.isInteger(o[k]) && o[k] >= min, () => messages.badSaccadeOption(k, o[k], `an integer >= ${min}`));
  int('size', 1);
  int('sensor', o.size);
  int('stepsPerSaccade', 1);
  int('frames', 1);
  for (const k of ['threshold', 'offset', 'dtUs'] as const) check(Number.isFinite(o[k]) && o[k] > 0, () => messages.badSaccadeOption(k, o[k], 'a number > 0'));
  return o;
}

/** Displacement (dx, dy) at sub-step `s` of `3·n` (s = 0 is V0, the start). */
export function saccadeDisplacement(s: number, n: number): [number, number] {
  const side = Math.min(2, Math.floor(s / n));
  const f = (s - side * n) / n;
  const a = SACCADE_TRIANGLE[side]!;
  const b = SACCADE_TRIANGLE[(side + 1) % 3]!;
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])];
}

/** The image inside a zero border wide enough for any displacement, and its non-zero bounding box. */
interface PaddedImage {
  readonly data: Float32Array;
  readonly side: number;
  readonly pad: number;
  /** Rows and columns (padded coordinates) holding a non-zero pixel; `r0 > r1` when the image is black. */
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
}

/** Pads the image with zeros so sampling needs no bounds checks, and finds its non-zero bounding box. */
function padImage(image: ArrayLike<number>, o: ResolvedSaccadeOptions): PaddedImage {
  const pad = o.sensor;
  const side = o.size + 2 * pad;
  const data = new Float32Array(side * side);
  let r0 = side, r1 = -1, c0 = side, c1 = -1;
  for (let r = 0; r < o.size; r++) {
    for (let c = 0; c < o.size; c++) {
      const v = image[r * o.size + c] as number;
      data[(r + pad) * side + c + pad] = v;
      if (v !== 0) {
        r0 = Math.min(r0, r + pad), r1 = Math.max(r1, r + pad);
        c0 = Math.min(c0, c + pad), c1 = Math.max(c1, c + pad);
      }
    }
  }
  return { data, side, pad, r0, r1, c0, c1 };
}

/** Log intensity seen by the sensor when the image is displaced by (dx, dy): bilinear sampling, 0 outside. */
function renderLog(img: PaddedImage, o: ResolvedSaccadeOptions, dx: number, dy: number, out: Float32Array): void {
  const { sensor, offset } = o;
  const { data, side, pad } = img;
  const margin = (sensor - o.size) / 2;
  // The displacement is the same for every pixel: one pair of interpolation weights per render.
  const sy0 = -margin - dy + pad;
  const sx0 = -margin - dx + pad;
  const y0 = Math.floor(sy0);
  const x0 = Math.floor(sx0);
  const fy = sy0 - y0;
  const fx = sx0 - x0;
  const w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
  // Speed (the same float32 values as sampling every pixel): most of the field of view is black
  // background, whose level ln(0 + offset) is computed once; only pixels whose 2x2 sampling window
  // meets the digit's bounding box are interpolated and take a Math.log (most of the generator's time).
  out.fill(Math.log(offset));
  const yFrom = Math.max(0, img.r0 - y0 - 1), yTo = Math.min(sensor - 1, img.r1 - y0);
  const xFrom = Math.max(0, img.c0 - x0 - 1), xTo = Math.min(sensor - 1, img.c1 - x0);
  for (let y = yFrom; y <= yTo; y++) {
    const row = (y + y0) * side + x0;
    for (let x = xFrom; x <= xTo; x++) {
      const i = row + x;
      const v = w00 * data[i]! + w01 * data[i + 1]! + w10 * data[i + side]! + w11 * data[i + side + 1]!;
      out[y * sensor + x] = Math.log(v + offset);
    }
  }
}

/**
 * Calls `emit(s, x, y, polarity, count)` for every pixel that crosses the contrast threshold at
 * sub-step `s` (1..S), in sub-step then row-major order.
 */
function simulate(image: ArrayLike<number>, o: ResolvedSaccadeOptions, emit: (s: number, x: number, y: number, p: number, k: number) => void): void {
  check(image.length === o.size * o.size, () => messages.badSaccadeImage(image.length, o.size));
  const n = o.sensor * o.sensor;
  const ref = new Float32Array(n);
  const cur = new Float32Array(n);
  const img = padImage(image, o);
  const [dx0, dy0] = saccadeDisplacement(0, o.stepsPerSaccade);
  renderLog(img, o, dx0, dy0, ref);
  const steps = 3 * o.stepsPerSaccade;
  for (let s = 1; s <= steps; s++) {
    const [dx, dy] = saccadeDisplacement(s, o.stepsPerSaccade);
    renderLog(img, o, dx, dy, cur);
    for (let i = 0; i < n; i++) {
      const d = cur[i]! - ref[i]!;
      if (Math.abs(d) < o.threshold) continue;
      const k = Math.floor(Math.abs(d) / o.threshold);
      ref[i] = ref[i]! + Math.sign(d) * k * o.threshold;
      emit(s, i % o.sensor, Math.floor(i / o.sensor), d > 0 ? 1 : 0, k);
    }
  }
}

/**
 * The event stream of one image under three simulated saccades (one event per threshold crossing).
 * @param image `[size, size]` grey levels in [0, 1], row-major
 */
export function saccadeEvents(image: ArrayLike<number>, options: SaccadeOptions = {}): SaccadeEvents {
  const o = resolveSaccadeOptions(options);
  const t: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const ps: number[] = [];
  simulate(image, o, (s, x, y, p, k) => {
    for (let j = 0; j < k; j++) {
      t.push(s * o.dtUs);
      xs.push(x);
      ys.push(y);
      ps.push(p);
    }
  });
  return { t: Float64Array.from(t), x: Uint16Array.from(xs), y: Uint16Array.from(ys), p: Uint8Array.from(ps) };
}

/**
 * Event-count frames of one image under three simulated saccades: `[T, sensor, sensor, 2]`
 * float32, channel 0 = OFF, 1 = ON, frame of sub-step s = floor((s−1)·T/S) for s = 1..S.
 * @param image `[size, size]` grey levels in [0, 1], row-major
 * @param out optional output to fill (length T·sensor²·2; zeroed first)
 */
export function saccadeFrames(image: ArrayLike<number>, options: SaccadeOptions = {}, out?: Float32Array): Float32Array {
  const o = resolveSaccadeOptions(options);
  const plane = o.sensor * o.sensor * 2;
  const data = out ?? new Float32Array(o.frames * plane);
  check(data.length === o.frames * plane, () => messages.badSaccadeOption('out.length', data.length, `${o.frames * plane}`));
  data.fill(0);
  const steps = 3 * o.stepsPerSaccade;
  simulate(image, o, (s, x, y, p, k) => {
    const f = Math.floor(((s - 1) * o.frames) / steps);
    const i = f * plane + (y * o.sensor + x) * 2 + p;
    data[i] = data[i]! + k;
  });
  return data;
}
