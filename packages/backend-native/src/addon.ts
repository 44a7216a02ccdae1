import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { messages } from './messages.js';

type F32 = Float32Array;
type Arr = F32 | null;
/** Sums a buffer over every replica in place. */
type ReplicaSumFn = (buf: Float64Array) => void;
/** The algorithm a dense conv call ran (native/ops.h `ConvAlgo`). */
export type ConvAlgo = 'gemm' | 'winograd';

/** The functions of the compiled addon (`native/addon.cc`). All arrays float32; outputs caller-allocated. */
export interface NativeAddon {
  info(): { simd: string; mr: number; nr: number; threads: number; arch: string };
  setSimd(mode: string): string;
  setThreads(n: number): number;
  gemm(M: number, N: number, K: number, a: F32, ars: number, acs: number, b: F32, brs: number, bcs: number, c: F32, ldc: number, accumulate: boolean): void;
  /** Dense forward; returns the algorithm it ran (`winograd`: F(2x2, 3x3), `gemm`: the GEMM paths). */
  conv2d(geom: number[], x: F32, w: F32, y: F32): ConvAlgo;
  conv2dBackpropInput(geom: number[], dy: F32, w: F32, dx: F32): ConvAlgo;
  /** Enables / disables the Winograd path (DEEPSPIKE_WINOGRAD=0 starts it off); no argument reads it. @returns whether it is on */
  setWinograd(on?: boolean): boolean;
  /** The algorithm the dense forward would run on this geometry (without running it). */
  convAlgo(geom: readonly number[]): ConvAlgo;
  /** False when x is not binary (y is then unspecified). */
  conv2dSpikes(geom: number[], x: F32, w: F32, y: F32): boolean;
  /** False when x is not binary (dw is then unspecified). */
  conv2dBackpropFilterSpikes(geom: number[], x: F32, dy: F32, dw: F32): boolean;
  /** Dense filter gradient; returns the algorithm it ran (`winograd` for the 3x3 stride-1 convs the forward would run so). */
  conv2dBackpropFilter(geom: number[], x: F32, dy: F32, dw: F32): ConvAlgo;
  avgPool(geom: number[], x: F32, y: F32): void;
  avgPoolGrad(geom: number[], dy: F32, dx: F32): void;
  maxPool(geom: number[], x: F32, y: F32): void;
  maxPoolGrad(geom: number[], x: F32, dy: F32, dx: F32): void;
  lif(T: number, n: number, x: F32, vth: number, tau: number, spikes: F32, u: F32): void;
  lifGrad(T: number, n: number, dS: Arr, dU: Arr, u: F32, s: F32, sg: F32, tau: number, detach: boolean, dx: F32): void;
  surrogateGrad(n: number, x: F32, family: number, p: number, out: F32): void;
  lifGradSurrogate(T: number, n: number, dS: Arr, dU: Arr, u: F32, s: F32, vth: number, family: number, p: number, tau: number, detach: boolean, dx: F32): void;
  /**
   * The four tdBN functions take an optional trailing `sync(buf: Float64Array)` that sums `buf` over
   * every data-parallel replica in place (SyncBatchNorm); it is called on this thread between sweeps.
   */
  tdbn(M: number, C: number, x: F32, lambda: F32, beta: F32, alpha: number, vth: number, eps: number, y: F32, mean: F32, invStd: F32, sync?: ReplicaSumFn): void;
  tdbnGrad(M: number, C: number, dy: F32, x: F32, mean: F32, invStd: F32, lambda: F32, alpha: number, vth: number, dx: F32, dLambda: F32, dBeta: F32, sync?: ReplicaSumFn): void;
  /**
   * `pool` [N, H, W, k]: spikes receives avgPool(spikes) of k x k windows at stride k (n = N*H*W, H and W multiples of k).
   * `repeated`: x is [n, C], one step standing for T equal ones (residual must be null).
   */
  tdbnLif(T: number, n: number, C: number, x: F32, residual: F32 | null, lambda: F32, beta: F32, gain: number, eps: number, vth: number, tau: number, spikes: F32, mean: F32, invStd: F32, sync?: ReplicaSumFn, pool?: number[] | null, repeated?: boolean): void;
  /** `pool` as for tdbnLif: dS is then the pooled spikes' gradient. `repeated`: x [n, C] as for tdbnLif, dx [n, C] summed over T, g unused (null). */
  tdbnLifGrad(
    T: number, n: number, C: number, dS: F32, x: F32, residual: F32 | null, mean: F32, invStd: F32, lambda: F32, beta: F32,
    gain: number, vth: number, tau: number, family: number, p: number, detach: boolean, dx: F32, g: F32 | null, dLambda: F32, dBeta: F32,
    sync?: ReplicaSumFn, pool?: number[] | null, repeated?: boolean,
  ): void;
  binary(op: number, n: number, a: F32, na: number, b: F32, nb: number, out: F32): void;
  unary(op: number, n: number, x: F32, out: F32): void;
  sumInner(outer: number, inner: number, x: F32, out: F32): void;
  sumOuter(outer: number, inner: number, x: F32, out: F32): void;
  spikeMatmul(M: number, N: number, K: number, s: F32, w: F32, c: F32): void;
  density(n: number, x: F32): [number, boolean];
  /** The measured fp32 FMA peak over `seconds` (native/peak.cc): all pool threads together and the best one. */
  fmaPeak(seconds: number): { simd: string; threads: number; gflops: number; gflopsPerThread: number };
  /** Bytes from `buffer`'s first byte to the next multiple of `align` (a power of two) in memory. */
  alignSkip(buffer: ArrayBuffer, align: number): number;
  /** STREAM-triad memory bandwidth over `seconds` (native/peak.cc), all pool threads, GB/s. */
  memBandwidth(seconds: number): { threads: number; gbps: number };
  /** Event-driven conv delivery (native/events.cc); geom `[h, w, cin, ho, wo, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups]`. @returns additions */
  eventConv(geom: readonly number[], count: number, idx: Int32Array, val: Float64Array, w: F32, acc: Float64Array): number;
  /** Event-driven linear delivery (native/events.cc). @returns additions */
  eventLinear(outFeatures: number, count: number, idx: Int32Array, val: Float64Array, w: F32, acc: Float64Array): number;
  /** A whole event-mode plan copied into C++ and checked (native/event_sim.cc). @throws RangeError naming the bad node */
  eventPlanCompile(nodes: readonly object[], smax: number): object;
  /** Runs `samples` samples of a compiled plan (in parallel), writing the flat results. */
  eventPlanRun(plan: object, inputs: readonly (readonly (Float32Array | Float64Array | null)[])[], samples: number, steps: number, outputSums: Float64Array, spikeCounts: Float64Array, stats: Float64Array): void;
}

/** Where the addon is built (relative to this file, the same from `src/` and `dist/`). */
export const ADDON_PATH = fileURLToPath(new URL('../build/Release/deepspike_native.node', import.meta.url));

const REQUIRED: ReadonlyArray<keyof NativeAddon> = ['info', 'gemm', 'conv2d', 'lif', 'tdbn', 'tdbnLif', 'binary', 'density'];

let cached: NativeAddon | undefined;

/**
 * Loads the compiled addon once.
 * @throws Error naming the path and the cause when it is not built or does not load
 */
export function loadAddon(): NativeAddon {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let mod: NativeAddon;
  try {
    // manifest-check: this package's own compiled addon (build/Release), not a package
    mod = require(ADDON_PATH) as NativeAddon;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const cause = code === 'MODULE_NOT_FOUND' ? 'no such file' : (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new Error(messages.addonMissing(ADDON_PATH, cause ?? 'an error'), { cause: err });
  }
  const missing = REQUIRED.filter((k) => typeof mod[k] !== 'function');
  if (missing.length > 0) throw new Error(messages.addonBroken(ADDON_PATH, missing));
  cached = mod;
  return mod;
}

/** Whether the addon is built and loads (never throws). */
export function nativeAvailable(): boolean {
  try {
    loadAddon();
    return true;
  } catch {
    return false;
  }
}
