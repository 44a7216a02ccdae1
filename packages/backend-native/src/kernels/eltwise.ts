import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32, nativeKernel, output, sizeOf, type NativeArgs } from './util.js';
import { smallBroadcast } from './small-broadcast.js';

/** Below this many elements the cpu kernels are as fast as a native call. */
const MIN_NATIVE = 4096;

/** The period of `shape` broadcast into `out` (its size) when it aligns with out's trailing dims. */
function period(shape: readonly number[], out: readonly number[]): number | null {
  const n = sizeOf(shape);
  if (n === 1) return 1;
  let s = [...shape];
  while (s.length > 0 && s[0] === 1) s = s.slice(1);
  if (s.length > out.length) return null;
  const tail = out.slice(out.length - s.length);
  return s.every((d, i) => d === tail[i]) ? n : null;
}

const BINARY: ReadonlyArray<[string, number]> = [
  [tf.Add, 0], [tf.Sub, 1], [tf.Multiply, 2], [tf.RealDiv, 3], [tf.Maximum, 4], [tf.Minimum, 5],
];

function binaryConfig(name: string, op: number): KernelConfig {
  return nativeKernel(name, (addon, { inputs, backend }: NativeArgs) => {
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const av = f32(backend, a);
    const bv = f32(backend, b);
    if (!av || !bv) return null;
    let shape: number[];
    try {
      shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return null;
    }
    const n = sizeOf(shape);
    const pa = period(a.shape, shape);
    const pb = period(b.shape, shape);
    const same = pa === n && pb === n;
    if (n < MIN_NATIVE) {
      // Small same-shape inputs: the cpu kernel is as fast. Small broadcasts are not (its generic
      // broadcast path maps every index through coordinates: ~0.8 ms for the [1,64,10] x [4,64,10]
      // of a mean over T's gradient, ~0.5 ms for a softmax's [64,1] x [64,10]).
      if (same) return null;
      const out = alloc(backend, n);
      smallBroadcast(op, av, a.shape, bv, b.shape, shape, out);
      return output(backend, shape, out);
    }
    if (pa === null || pb === null || (pa !== n && pb !== n)) return null;
    const out = alloc(backend, n);
    addon.binary(op, n, av, pa, bv, pb, out);
    return output(backend, shape, out);
  });
}

const UNARY: ReadonlyArray<[string, number]> = [
  [tf.Relu, 0], [tf.Neg, 1], [tf.Exp, 2], [tf.Log, 3], [tf.Sqrt, 4], [tf.Square, 5], [tf.Abs, 6], [tf.Sigmoid, 7],
];

function unaryConfig(name: string, op: number): KernelConfig {
  return nativeKernel(name, (addon, { inputs, backend }: NativeArgs) => {
    const x = inputs.x as TensorInfo;
    const xv = f32(backend, x);
    if (!xv || xv.length < MIN_NATIVE) return null;
    const out = alloc(backend, xv.length);
    addon.unary(op, xv.length, xv, out);
    return output(backend, [...x.shape], out);
  });
}

function reduceConfig(name: string, mean: boolean): KernelConfig {
  return nativeKernel(name, (addon, { inputs, backend, attrs }: NativeArgs) => {
    const x = inputs.x as TensorInfo;
    const xv = f32(backend, x);
    if (!xv || xv.length === 0) return null;
    const rank = x.shape.length;
    const axes = [...new Set(tf.util.parseAxisParam(attrs.axis as number | number[], x.shape))].sort((p, q) => p - q);
    const k = axes.length;
    if (k === 0) return null;
    const leading = axes.every((ax, i) => ax === i);
    const trailing = axes.every((ax, i) => ax === rank - k + i);
    if (!leading && !trailing) return null;
    // Small trailing reductions: the cpu kernel is as fast. Small leading ones are not: it transposes
    // the reduced axes inward first (~0.2-0.4 ms for a mean over T of [4, 64, 10], the sum of a
    // [256, 10] bias gradient).
    if (xv.length < MIN_NATIVE && trailing) return null;
    const kept = x.shape.filter((_, i) => !axes.includes(i));
    const reduced = sizeOf(axes.map((ax) => x.shape[ax] as number));
    const outN = sizeOf(kept);
    const out = alloc(backend, outN);
    if (trailing) addon.sumInner(outN, reduced, xv, out);
    else addon.sumOuter(reduced, outN, xv, out);
    if (mean) for (let i = 0; i < outN; i++) out[i] = (out[i] as number) / reduced;
    const shape = attrs.keepDims === true ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept;
    return output(backend, shape, out);
  });
}

/** Element-wise binary/unary kernels and Sum/Mean over leading or trailing axes, natively for large float32 tensors. */
export const eltwiseConfigs: KernelConfig[] = [
  ...BINARY.map(([n, op]) => binaryConfig(n, op)),
  ...UNARY.map(([n, op]) => unaryConfig(n, op)),
  reduceConfig(tf.Sum, false),
  reduceConfig(tf.Mean, true),
];
