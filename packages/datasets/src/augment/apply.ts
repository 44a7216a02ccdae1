import type { AugmentOptions, RandomSource } from '../types.js';
import { cutout, flipHorizontal, randomCrop, randomRoll, type Geometry } from './transforms.js';

/**
 * Applies the geometric augmentations of `options` to one sample in a fixed order:
 * random crop with padding → horizontal flip (p = 0.5) → roll. Cutout is separate ({@link applyCutout})
 * because it runs after normalisation, so the erased square is the dataset mean (0), as in the Cutout paper.
 * Draws from `rng` in that order only for the transforms enabled.
 */
export function applyGeometric(x: Float32Array, g: Geometry, options: AugmentOptions, rng: RandomSource): Float32Array {
  let out = x;
  if (options.randomCrop && options.randomCrop.padding > 0) out = randomCrop(out, g, options.randomCrop.padding, rng);
  if (options.flip && rng.next() < 0.5) flipHorizontal(out, g);
  if (options.roll && options.roll.max > 0) out = randomRoll(out, g, options.roll.max, rng);
  return out;
}

/** Applies Cutout when enabled (after normalisation). */
export function applyCutout(x: Float32Array, g: Geometry, options: AugmentOptions, rng: RandomSource): void {
  if (options.cutout && options.cutout.size > 0) cutout(x, g, options.cutout.size, rng);
}
