import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { windowsTile } from '@deepspike/core';
import { alloc, f32, nativeKernel, output, release, sizeOf, type NativeArgs } from './util.js';
import { nativeFamily } from './spiking.js';
import { globalParamGradsOnRankZero, noFallbackWhenSynced, replicaSum } from './replica-sum.js';
import { messages } from '../messages.js';

/** The `[T, n, C]` view of a fused tdBN+LIF kernel's x, or null for another rank. */
function view(x: TensorInfo): [number, number, number] | null {
  return x.shape.length === 3 ? (x.shape as [number, number, number]) : null;
}

/**
 * `DeepSpikeTdBNLIF` / `DeepSpikeTdBNAddLIF` (contract: packages/tdbn/src/kernels/README.md):
 * outputs `[spikes, mean, invStd]`; the normalised current and the potential are never stored.
 */
function forwardConfig(kernelName: string, withResidual: boolean): KernelConfig {
  return nativeKernel(kernelName, (addon, { inputs, backend, attrs }: NativeArgs) => {
    const x = inputs.x as TensorInfo;
    const shape = view(x);
    const xv = f32(backend, x);
    const lv = f32(backend, inputs.lambda as TensorInfo);
    const bv = f32(backend, inputs.beta as TensorInfo);
    const rv = withResidual ? f32(backend, inputs.residual as TensorInfo) : null;
    if (!shape || !xv || !lv || !bv || (withResidual && !rv) || xv.length === 0) return noFallbackWhenSynced(kernelName, 'non-float32 inputs, x not [T, n, C] or empty');
    const [T, n, C] = shape;
    const s = alloc(backend, xv.length);
    const mean = new Float32Array(C);
    const invStd = new Float32Array(C);
    addon.tdbnLif(T, n, C, xv, rv, lv, bv, attrs.gain as number, attrs.epsilon as number, attrs.vth as number, attrs.tau as number, s, mean, invStd, replicaSum());
    return [output(backend, shape, s), output(backend, [C], mean), output(backend, [C], invStd)];
  });
}

/** `DeepSpikeTdBNLIF`. */
export const tdbnLifConfig: KernelConfig = forwardConfig('DeepSpikeTdBNLIF', false);
/** `DeepSpikeTdBNAddLIF`. */
export const tdbnAddLifConfig: KernelConfig = forwardConfig('DeepSpikeTdBNAddLIF', true);

/**
 * `DeepSpikeTdBNLIFGrad`: outputs `[dx, dLambda, dBeta[, dResidual]]`. Surrogate families the native
 * code does not know run the cpu (JS) kernel.
 */
export const tdbnLifGradConfig: KernelConfig = nativeKernel('DeepSpikeTdBNLIFGrad', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const shape = view(x);
  const known = nativeFamily(attrs.surrogate);
  const read = (name: string): Float32Array | null => f32(backend, inputs[name] as TensorInfo);
  const [dS, xv, mean, invStd, lambda, beta] = ['dSpikes', 'x', 'mean', 'invStd', 'lambda', 'beta'].map(read);
  const rv = inputs.residual ? read('residual') : null;
  if (!shape || !known || !dS || !xv || !mean || !invStd || !lambda || !beta || (inputs.residual && !rv) || xv.length === 0) {
    return noFallbackWhenSynced('DeepSpikeTdBNLIFGrad', known ? 'non-float32 inputs, x not [T, n, C] or empty' : `the surrogate ${JSON.stringify(attrs.surrogate)}`);
  }
  const [T, n, C] = shape;
  const dx = alloc(backend, xv.length);
  // The neuron input's gradient: dResidual when there is a residual, else scratch.
  const g = alloc(backend, xv.length);
  const dLambda = new Float32Array(C);
  const dBeta = new Float32Array(C);
  addon.tdbnLifGrad(T, n, C, dS, xv, rv, mean, invStd, lambda, beta, attrs.gain as number, attrs.vth as number, attrs.tau as number,
    known.family, known.alpha, attrs.detachReset === true, dx, g, dLambda, dBeta, replicaSum());
  globalParamGradsOnRankZero(dLambda, dBeta);
  const outs = [output(backend, shape, dx), output(backend, [C], dLambda), output(backend, [C], dBeta)];
  if (rv) outs.push(output(backend, shape, g));
  else release(backend, g);
  return outs;
});

/**
 * x [T, N, H, W, C] of `DeepSpikeTdBNLIFAvgPool` as the addon takes it ([T, n = N*H*W, C] and the pool
 * [N, H, W, k]) with the pooled output's shape, or null when k x k windows do not tile H x W.
 */
function poolView(x: TensorInfo, k: unknown): { T: number; n: number; C: number; pool: number[]; pooledShape: number[] } | null {
  if (typeof k !== 'number' || !windowsTile(x.shape, k)) return null;
  const [T, N, H, W, C] = x.shape as [number, number, number, number, number];
  return { T, n: N * H * W, C, pool: [N, H, W, k], pooledShape: [T, N, H / k, W / k, C] };
}

/**
 * `DeepSpikeTdBNLIFAvgPool` (contract: packages/tdbn/src/kernels/names.ts): the tdBN+LIF kernel writing
 * avgPool(spikes) [T, N, H/k, W/k, C] block by block instead of the spikes; outputs `[pooled, mean, invStd]`.
 */
export const tdbnLifPoolConfig: KernelConfig = nativeKernel('DeepSpikeTdBNLIFAvgPool', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const v = poolView(x, attrs.poolSize);
  const xv = f32(backend, x);
  const lv = f32(backend, inputs.lambda as TensorInfo);
  const bv = f32(backend, inputs.beta as TensorInfo);
  if (!v || !xv || !lv || !bv || xv.length === 0) return noFallbackWhenSynced('DeepSpikeTdBNLIFAvgPool', 'non-float32 inputs, x not [T, N, H, W, C] tiled by the pool, or empty');
  const k = v.pool[3] as number;
  const y = alloc(backend, xv.length / (k * k));
  const mean = new Float32Array(v.C);
  const invStd = new Float32Array(v.C);
  addon.tdbnLif(v.T, v.n, v.C, xv, null, lv, bv, attrs.gain as number, attrs.epsilon as number, attrs.vth as number, attrs.tau as number, y, mean, invStd, replicaSum(), v.pool);
  return [output(backend, v.pooledShape, y), output(backend, [v.C], mean), output(backend, [v.C], invStd)];
});

/** `DeepSpikeTdBNLIFAvgPoolGrad`: outputs `[dx, dLambda, dBeta]` from the pooled spikes' gradient. */
export const tdbnLifPoolGradConfig: KernelConfig = nativeKernel('DeepSpikeTdBNLIFAvgPoolGrad', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const v = poolView(x, attrs.poolSize);
  const known = nativeFamily(attrs.surrogate);
  const read = (name: string): Float32Array | null => f32(backend, inputs[name] as TensorInfo);
  const [dP, xv, mean, invStd, lambda, beta] = ['dPooled', 'x', 'mean', 'invStd', 'lambda', 'beta'].map(read);
  if (!v || !known || !dP || !xv || !mean || !invStd || !lambda || !beta || xv.length === 0) {
    // No JS kernel to fall back to: tdbnLifPoolWithStats takes this path only for float32 [T, N, H, W, C]
    // tiled by the pool and the surrogates of TDBN_LIF_POOL_SURROGATES, all of which the native code knows.
    throw new Error(messages.poolGradUnsupported(known ? 'non-float32 inputs, x not [T, N, H, W, C] tiled by the pool, or empty' : `the surrogate ${JSON.stringify(attrs.surrogate)}`));
  }
  const dx = alloc(backend, xv.length);
  const g = alloc(backend, xv.length);
  const dLambda = new Float32Array(v.C);
  const dBeta = new Float32Array(v.C);
  addon.tdbnLifGrad(v.T, v.n, v.C, dP, xv, null, mean, invStd, lambda, beta, attrs.gain as number, attrs.vth as number, attrs.tau as number,
    known.family, known.alpha, attrs.detachReset === true, dx, g, dLambda, dBeta, replicaSum(), v.pool);
  globalParamGradsOnRankZero(dLambda, dBeta);
  release(backend, g);
  return [output(backend, [...x.shape], dx), output(backend, [v.C], dLambda), output(backend, [v.C], dBeta)];
});

/**
 * x of `DeepSpikeTdBNLIFRepeated` ([n, C], or [N, H, W, C] with a pool) as the addon takes it, with
 * the output's shape: spikes [T, ...x] or pooled [T, N, H/k, W/k, C]; null for other shapes.
 */
function repeatedView(x: TensorInfo, attrs: NativeArgs['attrs']): { T: number; n: number; C: number; pool: number[] | null; outShape: number[] } | null {
  const T = attrs.timesteps;
  const k = attrs.poolSize;
  if (typeof T !== 'number' || !Number.isInteger(T) || T < 1 || typeof k !== 'number') return null;
  const C = x.shape[x.shape.length - 1] as number;
  if (k === 0) return x.shape.length >= 2 && C > 0 ? { T, n: sizeOf(x.shape) / C, C, pool: null, outShape: [T, ...x.shape] } : null;
  const v = poolView({ ...x, shape: [T, ...x.shape] } as TensorInfo, k);
  return v && { T, n: v.n, C, pool: v.pool, outShape: v.pooledShape };
}

/**
 * `DeepSpikeTdBNLIFRepeated` (contract: packages/tdbn/src/kernels/names.ts): tdBN+LIF[+pool] of x
 * repeated over T steps, without the copies; outputs `[spikes or pooled, mean, invStd]`.
 */
export const tdbnLifRepeatedConfig: KernelConfig = nativeKernel('DeepSpikeTdBNLIFRepeated', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const v = repeatedView(x, attrs);
  const xv = f32(backend, x);
  const lv = f32(backend, inputs.lambda as TensorInfo);
  const bv = f32(backend, inputs.beta as TensorInfo);
  if (!v || !xv || !lv || !bv || xv.length === 0) throw new Error(messages.repeatedUnsupported('DeepSpikeTdBNLIFRepeated', 'non-float32 inputs, a bad timesteps or poolSize, x not tiled by the pool, or empty'));
  const k = v.pool ? (v.pool[3] as number) : 1;
  const y = alloc(backend, (v.T * xv.length) / (k * k));
  const mean = new Float32Array(v.C);
  const invStd = new Float32Array(v.C);
  addon.tdbnLif(v.T, v.n, v.C, xv, null, lv, bv, attrs.gain as number, attrs.epsilon as number, attrs.vth as number, attrs.tau as number, y, mean, invStd, replicaSum(), v.pool, true);
  return [output(backend, v.outShape, y), output(backend, [v.C], mean), output(backend, [v.C], invStd)];
});

/** `DeepSpikeTdBNLIFRepeatedGrad`: outputs `[dx (x's shape, summed over T), dLambda, dBeta]`. */
export const tdbnLifRepeatedGradConfig: KernelConfig = nativeKernel('DeepSpikeTdBNLIFRepeatedGrad', (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const v = repeatedView(x, attrs);
  const known = nativeFamily(attrs.surrogate);
  const read = (name: string): Float32Array | null => f32(backend, inputs[name] as TensorInfo);
  const [dS, xv, mean, invStd, lambda, beta] = ['dSpikes', 'x', 'mean', 'invStd', 'lambda', 'beta'].map(read);
  if (!v || !known || !dS || !xv || !mean || !invStd || !lambda || !beta || xv.length === 0) {
    // No JS kernel to fall back to: tdbnLifRepeatedWithStats takes this path only for float32 inputs
    // and the surrogates of TDBN_LIF_POOL_SURROGATES, all of which the native code knows.
    throw new Error(messages.repeatedUnsupported('DeepSpikeTdBNLIFRepeatedGrad', known ? 'non-float32 inputs, a bad timesteps or poolSize, or empty' : `the surrogate ${JSON.stringify(attrs.surrogate)}`));
  }
  const dx = alloc(backend, xv.length);
  const dLambda = new Float32Array(v.C);
  const dBeta = new Float32Array(v.C);
  addon.tdbnLifGrad(v.T, v.n, v.C, dS, xv, null, mean, invStd, lambda, beta, attrs.gain as number, attrs.vth as number, attrs.tau as number,
    known.family, known.alpha, attrs.detachReset === true, dx, null, dLambda, dBeta, replicaSum(), v.pool, true);
  globalParamGradsOnRankZero(dLambda, dBeta);
  return [output(backend, [...x.shape], dx), output(backend, [v.C], dLambda), output(backend, [v.C], dBeta)];
});
