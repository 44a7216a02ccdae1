import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';

/** Checks `x` is a float32 `[T, N, H, W, C]` or `[T, N, C]` sequence; returns its channel count. */
export function checkSequence(x: Tensor, where: string): number {
  check(x.rank === 5 || x.rank === 3, () => messages.rank(where, x.shape));
  check(x.dtype === 'float32', () => messages.dtype(where, 'x', x.dtype));
  return x.shape[x.rank - 1] as number;
}

/** Checks a per-channel parameter is a float32 `[C]` matching the last axis of `x`. */
export function checkPerChannel(p: Tensor, name: string, x: Tensor, where: string): void {
  const c = x.shape[x.rank - 1] as number;
  const ok = p.rank === 1 && p.shape[0] === c;
  check(ok, () => messages.channels(where, name, p.shape, x.shape, x.rank === 5 && p.rank === 1 && p.shape[0] === x.shape[2]));
  check(p.dtype === 'float32', () => messages.dtype(where, name, p.dtype));
}

/** Checks a layer built for `channels` channels receives `[.., channels]`, with an NCHW hint. */
export function checkLayerInput(x: Tensor, channels: number, where: string): void {
  checkSequence(x, where);
  check(x.shape[x.rank - 1] === channels, () => messages.layerChannels(where, channels, x.shape, x.rank === 5 && x.shape[2] === channels));
}

/** Checks a scalar is finite and > 0. */
export function checkPositive(v: unknown, name: string, meaning: string, where: string): number {
  check(typeof v === 'number' && Number.isFinite(v) && v > 0, () => messages.positive(where, name, v, meaning));
  return v;
}

/** Checks epsilon is finite and >= 0. */
export function checkEpsilon(v: unknown, where: string): number {
  check(typeof v === 'number' && Number.isFinite(v) && v >= 0, () => messages.epsilon(where, v));
  return v;
}

/** Checks momentum is in [0, 1]. */
export function checkMomentum(v: unknown, where: string): number {
  check(typeof v === 'number' && v >= 0 && v <= 1, () => messages.momentum(where, v));
  return v;
}

/** Checks a count (channels, timesteps) is a positive integer. */
export function checkCount(v: unknown, name: string, where: string): number {
  check(typeof v === 'number' && Number.isInteger(v) && v >= 1, () => messages.count(where, name, v));
  return v;
}
