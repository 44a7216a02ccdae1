import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvAlgo } from '../addon.js';
import { alloc, f32, nativeKernel, output, sizeOf, type NativeArgs } from './util.js';
import { recordConvPath, spikePathCounts, trySpikePath } from './spike-path.js';
import type { SpikePathKind } from '../config.js';

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** The 15 numbers of native `ConvGeom`: N, H, W, C, KH, KW, OH, OW, CO, sh, sw, dh, dw, padT, padL. */
export function convGeom(info: Conv2DInfo): number[] {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.filterHeight, info.filterWidth, info.outHeight, info.outWidth, info.outChannels,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  ];
}

let forceSpikes = false;

/** Tests: make every Conv2D consider the spike path regardless of the input size. */
export function setConvSpikeScanForAllSizes(on: boolean): void {
  forceSpikes = on;
}

function nhwc(attrs: Record<string, unknown>): boolean {
  return attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC' || attrs.dataFormat === 'channelsLast';
}

/** Inputs smaller than this skip the density scan (the dense path is cheap there). */
const SPIKE_MIN_SIZE = 65536;

/**
 * Runs `kind`'s spike kernel on input `x` when the sample says it may pay (inputs under
 * SPIKE_MIN_SIZE skip it unless tests force the scan); `run` returns false when the kernel finds x
 * is not binary. True when the spike kernel produced the result (recorded as such, and counted in
 * `spikePathCounts`); false leaves the dense call that follows to record its own path.
 */
function ranSpikePath(kind: 'conv' | 'convFilter', x: Float32Array, run: () => boolean, threshold: Exclude<SpikePathKind, 'matmul'> = kind): boolean {
  const spikes = tookSpikePath(kind, threshold, x, run);
  if (spikes) recordConvPath(kind, x, 'spikes');
  return spikes;
}

/** The profiling path name of a dense conv call's algorithm (native `ConvAlgo`). */
function densePath(algo: ConvAlgo): 'dense' | 'winograd' {
  return algo === 'winograd' ? 'winograd' : 'dense';
}

function tookSpikePath(kind: 'conv' | 'convFilter', threshold: Exclude<SpikePathKind, 'matmul'>, x: Float32Array, run: () => boolean): boolean {
  if (!(forceSpikes || x.length >= SPIKE_MIN_SIZE) || !trySpikePath(x, threshold, !forceSpikes)) return false;
  if (run()) {
    spikePathCounts[kind]++;
    return true;
  }
  spikePathCounts.fallbacks++;
  return false;
}

/**
 * `Conv2D` (NHWC): Winograd F(2x2, 3x3) for dense 3x3 stride-1 convolutions with enough channels
 * (native/winograd.cc), else indirect / implicit-im2col GEMM, threads over output pixels. When the input is
 * binary spikes whose sampled density is under the conv threshold ({@link trySpikePath}), it accumulates
 * filter rows for the active inputs instead (chosen per call; a non-binary input found by the kernel
 * falls back to the dense path).
 */
export const conv2DConfig: KernelConfig = nativeKernel(tf.Conv2D, (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const xv = f32(backend, x);
  const wv = f32(backend, filter);
  if (!xv || !wv || !nhwc(attrs)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides as [number, number], attrs.dilations as [number, number], attrs.pad as 'same',
    attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast');
  const y = alloc(backend, sizeOf(info.outShape));
  if (y.length === 0) return output(backend, info.outShape, y);
  const geom = convGeom(info);
  // The spike path must beat the dense algorithm this geometry would run (Winograd breaks even lower).
  const against = addon.convAlgo(geom) === 'winograd' ? 'convWinograd' : 'conv';
  if (ranSpikePath('conv', xv, () => addon.conv2dSpikes(geom, xv, wv, y), against)) return output(backend, info.outShape, y);
  recordConvPath('conv', xv, densePath(addon.conv2d(geom, xv, wv, y)));
  return output(backend, info.outShape, y);
});

/**
 * `Conv2DBackpropInput`: stride 1 as a conv with the flipped filter (so Winograd where the forward
 * would take it), else GEMM + col2im.
 */
export const conv2DBackpropInputConfig: KernelConfig = nativeKernel(tf.Conv2DBackpropInput, (addon, { inputs, backend, attrs }: NativeArgs) => {
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const dyv = f32(backend, dy);
  const wv = f32(backend, filter);
  if (!dyv || !wv || !nhwc(attrs)) return null;
  const inputShape = attrs.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], attrs.strides as [number, number], 1,
    attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast');
  const dx = alloc(backend, sizeOf(inputShape));
  if (dx.length > 0) recordConvPath('convInput', dyv, densePath(addon.conv2dBackpropInput(convGeom(info), dyv, wv, dx)));
  return output(backend, [...inputShape], dx);
});

/**
 * `Conv2DBackpropFilter`: dW = im2col(x)^T dy, threads split the pixels (partial sums). For binary
 * spike inputs under the filter gradient's threshold it accumulates dY rows for the active inputs.
 */
export const conv2DBackpropFilterConfig: KernelConfig = nativeKernel(tf.Conv2DBackpropFilter, (addon, { inputs, backend, attrs }: NativeArgs) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const xv = f32(backend, x);
  const dyv = f32(backend, dy);
  if (!xv || !dyv || !nhwc(attrs)) return null;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, attrs.strides as [number, number], 1,
    attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast');
  const dw = alloc(backend, sizeOf(filterShape));
  if (dw.length === 0) return output(backend, [...filterShape], dw);
  // Stride 1 runs the column-list spike kernel, which pays to a higher density than the strided
  // per-pixel one; against the Winograd filter gradient (3x3 convs that take it) to a lower one.
  const geom = convGeom(info);
  const stride1 = info.strideHeight === 1 && info.strideWidth === 1;
  const against = !stride1 ? 'convFilterStrided' : addon.convAlgo(geom) === 'winograd' ? 'convFilterWinograd' : 'convFilter';
  if (ranSpikePath('convFilter', xv, () => addon.conv2dBackpropFilterSpikes(geom, xv, dyv, dw), against)) return output(backend, [...filterShape], dw);
  recordConvPath('convFilter', xv, densePath(addon.conv2dBackpropFilter(geom, xv, dyv, dw)));
  return output(backend, [...filterShape], dw);
});
