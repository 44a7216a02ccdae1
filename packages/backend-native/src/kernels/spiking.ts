import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { resolveSurrogateAttr, type SurrogateAttr } from '@deepspike/core';
import { alloc, f32, nativeKernel, output, release, type NativeArgs } from './util.js';
import { noFallbackWhenSynced, replicaSum } from './replica-sum.js';

/** Surrogate families the native code knows (`native/spiking.cc`), by registry name. */
const FAMILIES: Readonly<Record<string, number>> = { rect: 0, sigmoid: 1, atan: 2, 'piecewise-quadratic': 3 };

/** `DeepSpikeLIF` (contract: packages/core/src/kernels/README.md): one pass over T, outputs `[spikes, u]`. */
export const lifConfig: KernelConfig = nativeKernel('DeepSpikeLIF', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const xv = f32(backend, x);
  if (!xv || x.shape.length < 1) return null;
  const T = x.shape[0] as number;
  const n = T === 0 ? 0 : xv.length / T;
  const s = alloc(backend, xv.length);
  const u = alloc(backend, xv.length);
  if (xv.length > 0) addon.lif(T, n, xv, Math.fround(attrs.vth as number), Math.fround(attrs.tau as number), s, u);
  return [output(backend, [...x.shape], s), output(backend, [...x.shape], u)];
});

/** The inputs of a LIF reverse pass (absent dSpikes / dU are null), or null when one is not float32. */
function reversePassInputs(backend: NativeArgs['backend'], inputs: NativeArgs['inputs']) {
  const u = inputs.u as TensorInfo;
  const uv = f32(backend, u);
  const sv = f32(backend, inputs.spikes as TensorInfo);
  const dS = inputs.dSpikes ? f32(backend, inputs.dSpikes) : null;
  const dU = inputs.dU ? f32(backend, inputs.dU) : null;
  if (!uv || !sv || (inputs.dSpikes && !dS) || (inputs.dU && !dU)) return null;
  const T = u.shape[0] as number;
  return { shape: [...u.shape], uv, sv, dS, dU, T, n: T === 0 ? 0 : uv.length / T };
}

/** The native family code and alpha of a surrogate attribute, or null for one the C++ does not know. */
export function nativeFamily(attr: unknown): { family: number; alpha: number } | null {
  const sur = attr as { name?: string; params?: Record<string, unknown> } | undefined;
  const family = sur?.name !== undefined ? FAMILIES[sur.name] : undefined;
  const alpha = sur?.params?.alpha;
  return family !== undefined && typeof alpha === 'number' ? { family, alpha } : null;
}

/** `DeepSpikeLIFGrad`: one reverse pass over T. */
export const lifGradConfig: KernelConfig = nativeKernel('DeepSpikeLIFGrad', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const r = reversePassInputs(backend, inputs);
  const gv = f32(backend, inputs.sg as TensorInfo);
  if (!r || !gv) return null;
  const dx = alloc(backend, r.uv.length);
  if (r.uv.length > 0) addon.lifGrad(r.T, r.n, r.dS, r.dU, r.uv, r.sv, gv, Math.fround(attrs.tau as number), attrs.detachReset === true, dx);
  return output(backend, r.shape, dx);
});

/**
 * `DeepSpikeLIFGradSurrogate`: `DeepSpikeLIFGrad` with `sg = g'(u - vth)` computed inside the reverse
 * pass for the families the native code knows (no `u - vth` and no `sg` tensor: two fewer passes
 * over the layer's activations). Other surrogates compute `sg` with the surrogate's JS derivative
 * and run the plain reverse pass.
 */
export const lifGradSurrogateConfig: KernelConfig = nativeKernel('DeepSpikeLIFGradSurrogate', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const r = reversePassInputs(backend, inputs);
  if (!r) return null;
  const { uv, sv, dS, dU, T, n } = r;
  const vth = Math.fround(attrs.vth as number);
  const tau = Math.fround(attrs.tau as number);
  const detach = attrs.detachReset === true;
  const dx = alloc(backend, uv.length);
  if (uv.length === 0) return output(backend, r.shape, dx);
  const known = nativeFamily(attrs.surrogate);
  if (known) {
    addon.lifGradSurrogate(T, n, dS, dU, uv, sv, vth, known.family, known.alpha, tau, detach, dx);
  } else {
    const derivative = resolveSurrogateAttr(attrs.surrogate as SurrogateAttr);
    const sg = alloc(backend, uv.length);
    for (let i = 0; i < uv.length; i++) sg[i] = derivative(Math.fround((uv[i] as number) - vth));
    addon.lifGrad(T, n, dS, dU, uv, sv, sg, tau, detach, dx);
    release(backend, sg);
  }
  return output(backend, r.shape, dx);
});

/** `DeepSpikeSurrogateGrad` for rect, sigmoid, atan, piecewise-quadratic; other families run the cpu (JS) kernel. */
export const surrogateGradConfig: KernelConfig = nativeKernel('DeepSpikeSurrogateGrad', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const xv = f32(backend, x);
  const known = nativeFamily(attrs.surrogate);
  if (!xv || !known) return null;
  const out = alloc(backend, xv.length);
  if (xv.length > 0) addon.surrogateGrad(xv.length, xv, known.family, known.alpha, out);
  return output(backend, [...x.shape], out);
});

/** `DeepSpikeTdBN` (contract: packages/tdbn/src/kernels/README.md): outputs `[y, mean, invStd]`. */
export const tdbnConfig: KernelConfig = nativeKernel('DeepSpikeTdBN', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const xv = f32(backend, x);
  const lv = f32(backend, inputs.lambda as TensorInfo);
  const bv = f32(backend, inputs.beta as TensorInfo);
  if (!xv || !lv || !bv || x.shape.length !== 2) return noFallbackWhenSynced('DeepSpikeTdBN', 'non-float32 inputs or x not [M, C]');
  const [M, C] = x.shape as [number, number];
  if (M === 0) return noFallbackWhenSynced('DeepSpikeTdBN', 'an empty batch');
  const y = alloc(backend, M * C);
  const mean = new Float32Array(C);
  const invStd = new Float32Array(C);
  addon.tdbn(M, C, xv, lv, bv, attrs.alpha as number, attrs.vth as number, attrs.epsilon as number, y, mean, invStd, replicaSum());
  return [output(backend, [M, C], y), output(backend, [C], mean), output(backend, [C], invStd)];
});

/** `DeepSpikeTdBNGrad`: outputs `[dx, dLambda, dBeta]`. */
export const tdbnGradConfig: KernelConfig = nativeKernel('DeepSpikeTdBNGrad', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const dy = inputs.dy as TensorInfo;
  const dyv = f32(backend, dy);
  const xv = f32(backend, inputs.x as TensorInfo);
  const mv = f32(backend, inputs.mean as TensorInfo);
  const iv = f32(backend, inputs.invStd as TensorInfo);
  const lv = f32(backend, inputs.lambda as TensorInfo);
  if (!dyv || !xv || !mv || !iv || !lv || dy.shape.length !== 2) return noFallbackWhenSynced('DeepSpikeTdBNGrad', 'non-float32 inputs or dy not [M, C]');
  const [M, C] = dy.shape as [number, number];
  const dx = alloc(backend, M * C);
  const dL = new Float32Array(C);
  const dB = new Float32Array(C);
  addon.tdbnGrad(M, C, dyv, xv, mv, iv, lv, attrs.alpha as number, attrs.vth as number, dx, dL, dB, replicaSum());
  return [output(backend, [M, C], dx), output(backend, [C], dL), output(backend, [C], dB)];
});
