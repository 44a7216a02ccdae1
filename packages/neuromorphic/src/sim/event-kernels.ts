import type { ConvNode } from '../graph/types.js';
import type { EventPlan, EventPlanRunner } from './event-plan.js';

/**
 * Synaptic delivery of input events, the inner loop of event-driven simulation: each event (flat HWC
 * input index, value) is scattered to the synapses it really has, accumulating `value * weight` into
 * float64 membranes in the order event, ky, kx, output channel. Implementations must keep that order
 * (the results are then bit-identical to {@link jsEventKernels}). A faster implementation — the native
 * backend's `nativeEventKernels()` — is passed to `simulateInteger` as `options.kernels`.
 */
export interface EventKernels {
  /** Shown in benchmarks: `js`, `native avx512`, … */
  readonly name: string;
  /**
   * Conv delivery. `geom` is {@link eventConvGeom}'s `[h, w, cin, ho, wo, cout, kh, kw, sh, sw, ph, pw,
   * dh, dw, groups]`; `weight` is `[kh, kw, cin/groups, cout]`; `acc` is `[ho, wo, cout]`.
   * @returns the synaptic additions performed
   */
  conv(geom: readonly number[], count: number, idx: Int32Array, val: Float64Array, weight: Float32Array, acc: Float64Array): number;
  /** Linear delivery; `weight` is `[in, outFeatures]`, `acc` is `[outFeatures]`. @returns the additions performed */
  linear(outFeatures: number, count: number, idx: Int32Array, val: Float64Array, weight: Float32Array, acc: Float64Array): number;
  /**
   * Optional: compiles a whole event-mode simulation (the native backend runs it in C++, samples in
   * parallel). `simulateInteger` uses it when it is given and nothing is recorded per step or split
   * into partial sums; its results must equal the TypeScript simulator's bit for bit.
   */
  compile?(plan: EventPlan): EventPlanRunner;
}

/** The geometry array {@link EventKernels.conv} takes, from a conv node and its HWC shapes. */
export function eventConvGeom(n: ConvNode, inShape: readonly number[], outShape: readonly number[]): number[] {
  const [h, w, cin] = inShape as [number, number, number];
  const [ho, wo, cout] = outShape as [number, number, number];
  return [h, w, cin, ho, wo, cout, n.kernel[0], n.kernel[1], n.stride[0], n.stride[1], n.padding[0], n.padding[1], n.dilation[0], n.dilation[1], n.groups];
}

/** The reference implementation in TypeScript. */
export const jsEventKernels: EventKernels = {
  name: 'js',
  conv(geom, count, idx, val, weight, acc) {
    const [, w, cin, ho, wo, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups] = geom as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
    const cinG = cin / groups;
    const coutG = cout / groups;
    let ops = 0;
    for (let k = 0; k < count; k++) {
      const i = idx[k] as number;
      const v = val[k] as number;
      const ci = i % cin;
      const p = (i - ci) / cin;
      const ix = p % w;
      const iy = (p - ix) / w;
      const g = Math.floor(ci / cinG);
      for (let ky = 0; ky < kh; ky++) {
        const ty = iy + ph - ky * dh;
        if (ty < 0 || ty % sh !== 0) continue;
        const oy = ty / sh;
        if (oy >= ho) continue;
        for (let kx = 0; kx < kw; kx++) {
          const tx = ix + pw - kx * dw;
          if (tx < 0 || tx % sw !== 0) continue;
          const ox = tx / sw;
          if (ox >= wo) continue;
          const wr = ((ky * kw + kx) * cinG + (ci - g * cinG)) * cout + g * coutG;
          const o = (oy * wo + ox) * cout + g * coutG;
          for (let c = 0; c < coutG; c++) acc[o + c] = (acc[o + c] as number) + v * (weight[wr + c] as number);
          ops += coutG;
        }
      }
    }
    return ops;
  },
  linear(out, count, idx, val, weight, acc) {
    for (let k = 0; k < count; k++) {
      const r = (idx[k] as number) * out;
      const v = val[k] as number;
      for (let o = 0; o < out; o++) acc[o] = (acc[o] as number) + v * (weight[r + o] as number);
    }
    return count * out;
  },
};
