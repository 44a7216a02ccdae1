/**
 * Seeded per-sample augmentations on channels-last float32 data laid out as `frames × H × W × C`
 * (`frames = 1` for an image `[H, W, C]`, `frames = T` for event frames `[T, H, W, 2]`). The same random
 * draw applies to every frame of a sample, as tonic/SpikingJelly apply one transform to a whole recording.
 */
import type { RandomSource } from '../types.js';

/** Geometry of a sample. */
export interface Geometry {
  readonly frames: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

const draw = (rng: RandomSource, n: number): number => Math.floor(rng.next() * n);

/**
 * Random crop with zero padding (torchvision `RandomCrop(size, padding)` with size = the input size):
 * shifts the content by `(dy, dx)` uniform in `[-padding, padding]`, filling with 0.
 * @returns a new array
 */
export function randomCrop(x: Float32Array, g: Geometry, padding: number, rng: RandomSource): Float32Array {
  const dy = draw(rng, 2 * padding + 1) - padding;
  const dx = draw(rng, 2 * padding + 1) - padding;
  return shift(x, g, dy, dx, false);
}

/**
 * Moves pixel `(i, j)` of the output to read input `(i + dy, j + dx)`; out-of-range reads give 0,
 * or wrap around when `wrap` (that is `torch.roll(x, (-dy, -dx))`).
 */
export function shift(x: Float32Array, g: Geometry, dy: number, dx: number, wrap: boolean): Float32Array {
  const { frames, h, w, c } = g;
  const out = new Float32Array(x.length);
  const frame = h * w * c;
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < h; i++) {
      let si = i + dy;
      if (wrap) si = ((si % h) + h) % h;
      else if (si < 0 || si >= h) continue;
      for (let j = 0; j < w; j++) {
        let sj = j + dx;
        if (wrap) sj = ((sj % w) + w) % w;
        else if (sj < 0 || sj >= w) continue;
        const o = f * frame + (i * w + j) * c;
        const s = f * frame + (si * w + sj) * c;
        for (let k = 0; k < c; k++) out[o + k] = x[s + k]!;
      }
    }
  }
  return out;
}

/** Mirrors left-right in place (x → W-1-x). */
export function flipHorizontal(x: Float32Array, g: Geometry): void {
  const { frames, h, w, c } = g;
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < h; i++) {
      const row = (f * h + i) * w * c;
      for (let j = 0; j < w >> 1; j++) {
        const a = row + j * c;
        const b = row + (w - 1 - j) * c;
        for (let k = 0; k < c; k++) {
          const t = x[a + k]!;
          x[a + k] = x[b + k]!;
          x[b + k] = t;
        }
      }
    }
  }
}

/**
 * Cutout (DeVries & Taylor 2017): zeroes a `size × size` square centred at a uniformly drawn pixel,
 * clipped at the borders (so it may cover less), in place.
 */
export function cutout(x: Float32Array, g: Geometry, size: number, rng: RandomSource): void {
  const { frames, h, w, c } = g;
  const cy = draw(rng, h);
  const cx = draw(rng, w);
  const y0 = Math.max(0, cy - (size >> 1));
  const y1 = Math.min(h, cy - (size >> 1) + size);
  const x0 = Math.max(0, cx - (size >> 1));
  const x1 = Math.min(w, cx - (size >> 1) + size);
  for (let f = 0; f < frames; f++) {
    for (let i = y0; i < y1; i++) x.fill(0, ((f * h + i) * w + x0) * c, ((f * h + i) * w + x1) * c);
  }
}

/** Random circular roll of every frame by `(dy, dx)` uniform in `[-max, max]` (event augmentation). */
export function randomRoll(x: Float32Array, g: Geometry, max: number, rng: RandomSource): Float32Array {
  const dy = draw(rng, 2 * max + 1) - max;
  const dx = draw(rng, 2 * max + 1) - max;
  return shift(x, g, -dy, -dx, true);
}
