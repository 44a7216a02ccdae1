import type { ParamArray } from './types.js';

/**
 * The value of a broadcast parameter for the neuron at flat index `i` of a channels-last population
 * of `size` neurons with `channels` channels (scalar, per channel `[C]`, or per neuron `[size]`).
 */
export function paramAt(p: ParamArray, i: number, channels: number, size: number): number {
  if (typeof p === 'number') return p;
  if (p.length === 1) return p[0] as number;
  if (p.length === size) return p[i] as number;
  return p[i % channels] as number;
}

/** Expands a broadcast parameter to one value per neuron (Float64Array of `size`). */
export function expandParam(p: ParamArray, channels: number, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = paramAt(p, i, channels, size);
  return out;
}

/**
 * The most compact form of per-neuron values: a number when all are equal, a per-channel array when
 * values only vary across channels, else the array itself.
 */
export function compactParam(values: ArrayLike<number>, channels: number): ParamArray {
  const n = values.length;
  if (n === 0) return 0;
  const first = values[0] as number;
  let allSame = true;
  for (let i = 1; i < n && allSame; i++) if (values[i] !== first) allSame = false;
  if (allSame) return first;
  if (channels > 0 && n % channels === 0) {
    let perChannel = true;
    for (let i = channels; i < n && perChannel; i++) if (values[i] !== values[i % channels]) perChannel = false;
    if (perChannel) return Float64Array.from({ length: channels }, (_, c) => values[c] as number);
  }
  return Float64Array.from(values as ArrayLike<number>);
}

/** Whether a parameter has one value for every neuron. */
export function isUniform(p: ParamArray): boolean {
  if (typeof p === 'number') return true;
  for (let i = 1; i < p.length; i++) if (p[i] !== p[0]) return false;
  return true;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Channels (last axis) of a channels-last shape. */
export function channelsOf(shape: readonly number[]): number {
  return shape.length ? (shape[shape.length - 1] as number) : 1;
}
