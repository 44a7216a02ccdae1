import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32, nativeKernel, output, sizeOf, type NativeArgs } from './util.js';

function poolInfo(shape: readonly number[], attrs: Record<string, unknown>): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number], attrs.filterSize as [number, number], attrs.strides as [number, number],
    1, attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined);
}

/** The 12 numbers of native `PoolGeom`: N, H, W, C, OH, OW, fh, fw, sh, sw, padT, padL. */
function geom(i: tf.backend_util.Conv2DInfo): number[] {
  return [i.batchSize, i.inHeight, i.inWidth, i.inChannels, i.outHeight, i.outWidth, i.filterHeight, i.filterWidth,
    i.strideHeight, i.strideWidth, i.padInfo.top, i.padInfo.left];
}

function pool(kind: 'avg' | 'max'): KernelConfig {
  return nativeKernel(kind === 'avg' ? tf.AvgPool : tf.MaxPool, (addon, { inputs, backend, attrs }: NativeArgs) => {
    const x = inputs.x as TensorInfo;
    const xv = f32(backend, x);
    if (!xv || x.shape.length !== 4) return null;
    const info = poolInfo(x.shape, attrs);
    const y = alloc(backend, sizeOf(info.outShape));
    if (y.length > 0) (kind === 'avg' ? addon.avgPool : addon.maxPool)(geom(info), xv, y);
    return output(backend, info.outShape, y);
  });
}

/** `AvgPool` (NHWC): the mean of the in-bounds pixels of each window, as tf.js's cpu kernel. */
export const avgPoolConfig = pool('avg');
/** `MaxPool` (NHWC). */
export const maxPoolConfig = pool('max');

/** `AvgPoolGrad`: dy spread over each window times 1/(fh*fw) (tf.js's convention). */
export const avgPoolGradConfig: KernelConfig = nativeKernel(tf.AvgPoolGrad, (addon, { inputs, backend, attrs }: NativeArgs) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const dyv = f32(backend, dy);
  if (!dyv || x.shape.length !== 4) return null;
  const info = poolInfo(x.shape, attrs);
  const dx = alloc(backend, sizeOf(x.shape));
  if (dx.length > 0) addon.avgPoolGrad(geom(info), dyv, dx);
  return output(backend, [...x.shape], dx);
});

/** `MaxPoolGrad`: dy to the first maximum of each window. */
export const maxPoolGradConfig: KernelConfig = nativeKernel(tf.MaxPoolGrad, (addon, { inputs, backend, attrs }: NativeArgs) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const dyv = f32(backend, dy);
  const xv = f32(backend, x);
  if (!dyv || !xv || x.shape.length !== 4) return null;
  const info = poolInfo(x.shape, attrs);
  const dx = alloc(backend, sizeOf(x.shape));
  if (dx.length > 0) addon.maxPoolGrad(geom(info), xv, dyv, dx);
  return output(backend, [...x.shape], dx);
});
