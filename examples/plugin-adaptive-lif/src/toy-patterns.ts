import type { Dataset, DatasetOptions, Sample, Split } from '@deepspike/datasets';
import { check, seededRandom } from '@deepspike/core';
import { alifMessages } from './messages.js';

/** Options of the `toy-spike-patterns` dataset (all optional). */
export interface ToyPatternsOptions extends DatasetOptions {
  /** Side of the square grid, 4..64 (default 8): samples are `[side, side, 1]`. */
  readonly side?: number;
  /** Training samples (default 256). */
  readonly trainSize?: number;
  /** Test samples (default 64). */
  readonly testSize?: number;
  /** Probability that a pixel of the class's bars is on (default 0.8). */
  readonly on?: number;
  /** Probability that any other pixel is on (noise, default 0.1). */
  readonly noise?: number;
  /** Seed of the generator (default 0). */
  readonly seed?: number;
}

/** The resolved generator settings (every option with its default filled in). */
export interface ToyPatternsConfig {
  readonly side: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly on: number;
  readonly noise: number;
  readonly seed: number;
}

/** Defaults of {@link openToyPatterns}. */
export const TOY_PATTERNS_DEFAULTS: ToyPatternsConfig = Object.freeze({ side: 8, trainSize: 256, testSize: 64, on: 0.8, noise: 0.1, seed: 0 });

/** 32-bit integer hash (Wang/Jenkins mix) of the seed, the split and the index: a random-access stream. */
function mix(a: number): number {
  a = (a ^ 61) ^ (a >>> 16);
  a = Math.imul(a, 9);
  a ^= a >>> 4;
  a = Math.imul(a, 0x27d4eb2d);
  return (a ^ (a >>> 15)) >>> 0;
}

/** Mulberry32: a small seeded generator of uniform numbers in [0, 1). */

/**
 * Generates sample `index` of `split`: label `index % 2`; class 0 lights horizontal bars (even rows),
 * class 1 vertical bars (even columns), each bar pixel on with probability `on`, every other pixel
 * with probability `noise`. Pixels are 0 or 1. A pure function of (seed, split, index).
 */
export function toyPattern(split: Split, index: number, o: ToyPatternsConfig): Sample {
  const label = index % 2;
  const rng = seededRandom(mix(o.seed * 2654435761 + (split === 'train' ? 0 : 0x9e3779b9) + index * 40503));
  const x = new Float32Array(o.side * o.side);
  for (let r = 0; r < o.side; r++) {
    for (let c = 0; c < o.side; c++) {
      const bar = label === 0 ? r % 2 === 0 : c % 2 === 0;
      x[r * o.side + c] = rng() < (bar ? o.on : o.noise) ? 1 : 0;
    }
  }
  return { x, label };
}

function resolve(options: ToyPatternsOptions): ToyPatternsConfig {
  const o = { ...TOY_PATTERNS_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k in TOY_PATTERNS_DEFAULTS)) } as ToyPatternsConfig;
  const int = (k: 'side' | 'trainSize' | 'testSize' | 'seed', min: number, max: number) =>
    check(Number.isInteger(o[k]) && o[k] >= min && o[k] <= max, () => alifMessages.datasetOption(k, o[k], `an integer in [${min}, ${max}]`));
  int('side', 4, 64);
  int('trainSize', 2, 1_000_000);
  int('testSize', 2, 1_000_000);
  int('seed', 0, 2 ** 31 - 1);
  const prob = (k: 'on' | 'noise') => check(typeof o[k] === 'number' && o[k] >= 0 && o[k] <= 1, () => alifMessages.datasetOption(k, o[k], 'a probability in [0, 1]'));
  prob('on');
  prob('noise');
  return o;
}

/**
 * Opens the generated two-class dataset `toy-spike-patterns` (nothing is read from disk).
 * Samples are `[side, side, 1]` binary images; classes `horizontal` and `vertical`.
 * @throws InvalidArgumentError for an option out of range
 */
export function openToyPatterns(options: ToyPatternsOptions = {}): Dataset {
  const o = resolve(options);
  const sizes: Record<Split, number> = { train: o.trainSize, test: o.testSize };
  return {
    name: 'toy-spike-patterns',
    classes: 2,
    classNames: ['horizontal', 'vertical'],
    inputShape: [o.side, o.side, 1],
    kind: 'static',
    size: (split) => {
      check(split === 'train' || split === 'test', () => alifMessages.split(split));
      return sizes[split];
    },
    async get(split, index) {
      check(split === 'train' || split === 'test', () => alifMessages.split(split));
      check(Number.isInteger(index) && index >= 0 && index < sizes[split], () => alifMessages.sampleIndex(split, index, sizes[split]));
      return toyPattern(split, index, o);
    },
    source: { entry: 'toy-spike-patterns', options: JSON.parse(JSON.stringify(options)) as DatasetOptions },
  };
}

/**
 * Registry entry (kind `dataset`). `inputShape` and `classes` let the DSL check a model's input shape
 * and output units without opening the dataset.
 */
export const toyPatternsEntry = {
  description: 'Generated two-class toy spike patterns (horizontal vs vertical bars with noise), seeded; no files.',
  inputShape: (options: Readonly<Record<string, unknown>>): readonly number[] => {
    const side = typeof options.side === 'number' ? options.side : TOY_PATTERNS_DEFAULTS.side;
    return [side, side, 1];
  },
  classes: 2,
  open: async (options: DatasetOptions = {}): Promise<Dataset> => openToyPatterns(options as ToyPatternsOptions),
};
