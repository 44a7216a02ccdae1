import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { alloc, f32, nativeKernel, output, release, sizeOf, type NativeArgs } from './util.js';
import { sparseSpikes } from './spike-path.js';

/** `C[M, N] = A B` (A, B given by strides, C row-major) through the addon's GEMM (which takes narrow shapes its own way). */
function gemmInto(addon: NativeAddon, M: number, N: number, K: number,
  a: Float32Array, ars: number, acs: number, b: Float32Array, brs: number, bcs: number, c: Float32Array): void {
  addon.gemm(M, N, K, a, ars, acs, b, brs, bcs, c, N, false);
}

/**
 * Batched product `C[b] = op(A[b]) op(B[b])` with batch broadcasting (equal batches or one of them 1).
 * When A is binary spikes with a density under the spike threshold ({@link sparseSpikes}), rows of B are
 * accumulated for the active inputs instead (measured per call).
 * @returns the output tensor values and shape, or null when the shapes need the cpu kernel
 */
export function batchMatMul(addon: NativeAddon, args: NativeArgs): { shape: number[]; values: Float32Array } | null {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const av = f32(backend, a);
  const bv = f32(backend, b);
  if (!av || !bv || a.shape.length < 2 || b.shape.length < 2) return null;
  const tA = attrs.transposeA === true;
  const tB = attrs.transposeB === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = (tA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const K = (tA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const K2 = (tB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const N = (tB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  if (K !== K2) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  let outer: number[];
  try {
    outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  const batch = sizeOf(outer);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  const shape = [...outer, M, N];
  const c = alloc(backend, batch * M * N);
  if (c.length === 0) return { shape, values: c };
  if (K === 0) return { shape, values: c.fill(0) };
  const [ars, acs] = tA ? [1, M] : [K, 1];
  const [brs, bcs] = tB ? [1, K] : [N, 1];
  if (batchB === 1 && !tA) {
    // One tall product: the batches of A stack into M*batch rows.
    const rows = M * batch;
    if (!tB && N >= 8 && batchA === batch && sparseSpikes(addon, av)) {
      addon.spikeMatmul(rows, N, K, av, bv, c);
      return { shape, values: c };
    }
    const aFull = batchA === batch ? av : null;
    if (aFull) {
      gemmInto(addon, rows, N, K, aFull, ars, acs, bv, brs, bcs, c);
      return { shape, values: c };
    }
  }
  for (let i = 0; i < batch; i++) {
    const ai = batchA === 1 ? av : av.subarray(i * M * K, (i + 1) * M * K);
    const bi = batchB === 1 ? bv : bv.subarray(i * K * N, (i + 1) * K * N);
    gemmInto(addon, M, N, K, ai, ars, acs, bi, brs, bcs, c.subarray(i * M * N, (i + 1) * M * N));
  }
  return { shape, values: c };
}

/** `BatchMatMul` (what `tf.matMul` runs). */
export const batchMatMulConfig: KernelConfig = nativeKernel(tf.BatchMatMul, (addon, args) => {
  const r = batchMatMul(addon, args);
  return r ? output(args.backend, r.shape, r.values) : null;
});

function trailingPeriod(shape: readonly number[], out: readonly number[]): number | null {
  const n = sizeOf(shape);
  if (n === 1) return 1;
  let s = [...shape];
  while (s.length > 0 && s[0] === 1) s = s.slice(1);
  const tail = out.slice(out.length - s.length);
  return s.length <= out.length && s.every((d, i) => d === tail[i]) ? n : null;
}

/** `_FusedMatMul` with bias and linear/relu activation natively; other activations run on cpu. */
export const fusedMatMulConfig: KernelConfig = nativeKernel(tf._FusedMatMul, (addon, args) => {
  const { inputs, backend, attrs } = args;
  const act = (attrs.activation as string | undefined) ?? 'linear';
  if ((act !== 'linear' && act !== 'relu') || inputs.preluActivationWeights) return null;
  const bias = inputs.bias as TensorInfo | undefined;
  const biasV = bias ? f32(backend, bias) : null;
  if (bias && !biasV) return null;
  const r = batchMatMul(addon, args);
  if (!r) return null;
  const n = r.values.length;
  if (bias && biasV) {
    const period = trailingPeriod(bias.shape, r.shape);
    if (period === null) return null;
    addon.binary(0, n, r.values, n, biasV, period, r.values);
  }
  if (act === 'relu' && n > 0) addon.unary(0, n, r.values, r.values);
  return output(backend, r.shape, r.values);
});
