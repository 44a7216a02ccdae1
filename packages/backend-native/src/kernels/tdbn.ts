import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32, nativeKernel, output, type NativeArgs } from './util.js';
import { globalParamGradsOnRankZero, noFallbackWhenSynced, replicaSum } from './replica-sum.js';

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
  globalParamGradsOnRankZero(dL, dB);
  return [output(backend, [M, C], dx), output(backend, [C], dL), output(backend, [C], dB)];
});
