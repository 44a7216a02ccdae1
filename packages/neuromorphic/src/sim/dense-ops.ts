/**
 * Dense reference kernels on channels-last arrays without batch, in float64 (exact for integer
 * values below 2^53, so the same kernels serve as the dense integer reference).
 */
import type { ConvNode, LinearNode, PoolNode } from '../graph/types.js';

/**
 * 2-D convolution. @param x `[H, W, Cin]` @returns `[Ho, Wo, Cout]` (bias added when `withBias`).
 * `y[oy,ox,co] = sum_{ky,kx,ci} x[oy*s - p + ky*d, ox*s - p + kx*d, g*cin_g + ci] * W[ky,kx,ci,co]`.
 */
export function conv2d(node: ConvNode, x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[], weight: ArrayLike<number> = node.weight, withBias = true): Float64Array {
  const [h, w, cin] = inShape as [number, number, number];
  const [ho, wo, cout] = outShape as [number, number, number];
  const [kh, kw] = node.kernel;
  const [sh, sw] = node.stride;
  const [ph, pw] = node.padding;
  const [dh, dw] = node.dilation;
  const cinG = cin / node.groups;
  const coutG = cout / node.groups;
  const y = new Float64Array(ho * wo * cout);
  for (let oy = 0; oy < ho; oy++) {
    for (let ox = 0; ox < wo; ox++) {
      const yo = (oy * wo + ox) * cout;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - ph + ky * dh;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw - pw + kx * dw;
          if (ix < 0 || ix >= w) continue;
          const xo = (iy * w + ix) * cin;
          const wk = (ky * kw + kx) * cinG * cout;
          for (let ci = 0; ci < cin; ci++) {
            const v = x[xo + ci] as number;
            if (v === 0) continue;
            const g = Math.floor(ci / cinG);
            const wr = wk + (ci - g * cinG) * cout;
            for (let co = g * coutG; co < (g + 1) * coutG; co++) y[yo + co] = (y[yo + co] as number) + v * (weight[wr + co] as number);
          }
        }
      }
    }
  }
  if (withBias && node.bias) for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + (node.bias[i % cout] as number);
  return y;
}

/** `y = x W + b`. @param x `[in]` @returns `[out]` */
export function linear(node: LinearNode, x: ArrayLike<number>, weight: ArrayLike<number> = node.weight, withBias = true): Float64Array {
  const out = node.outFeatures;
  const y = new Float64Array(out);
  for (let i = 0; i < node.inFeatures; i++) {
    const v = x[i] as number;
    if (v === 0) continue;
    const r = i * out;
    for (let o = 0; o < out; o++) y[o] = (y[o] as number) + v * (weight[r + o] as number);
  }
  if (withBias && node.bias) for (let o = 0; o < out; o++) y[o] = (y[o] as number) + (node.bias[o] as number);
  return y;
}

/** Window sum / average / max over `[H, W, C]` (zero padding; max ignores padding). */
export function pool2d(node: PoolNode, x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[]): Float64Array {
  const [h, w, c] = inShape as [number, number, number];
  const [ho, wo] = outShape as [number, number];
  const [kh, kw] = node.kernel;
  const y = new Float64Array(ho * wo * c);
  const area = kh * kw;
  for (let oy = 0; oy < ho; oy++) {
    for (let ox = 0; ox < wo; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = node.mode === 'max' ? -Infinity : 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * node.stride[0] - node.padding[0] + ky;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * node.stride[1] - node.padding[1] + kx;
            if (ix < 0 || ix >= w) continue;
            const v = x[(iy * w + ix) * c + ch] as number;
            acc = node.mode === 'max' ? Math.max(acc, v) : acc + v;
          }
        }
        y[(oy * wo + ox) * c + ch] = node.mode === 'avg' ? acc / area : acc;
      }
    }
  }
  return y;
}

/** Flattens `[H, W, C]` to `[H*W*C]` in channels-last (`hwc`) or channel-major (`chw`) order. */
export function flatten(order: 'hwc' | 'chw', x: ArrayLike<number>, inShape: readonly number[]): Float64Array {
  const y = Float64Array.from(x as ArrayLike<number>);
  if (order === 'hwc' || inShape.length < 2) return y;
  const c = inShape[inShape.length - 1] as number;
  const hw = y.length / c;
  for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) y[ch * hw + p] = x[p * c + ch] as number;
  return y;
}
