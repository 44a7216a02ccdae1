import { loadAddon } from './addon.js';
import { messages } from './messages.js';

/** What the loaded addon runs with. */
export interface NativeInfo {
  /** Micro-kernel instruction set: `avx512`, `avx2`, `sse2`, `neon`, `vec128` or `scalar`. */
  readonly simd: string;
  /** Micro-kernel tile, rows x columns. */
  readonly mr: number;
  readonly nr: number;
  /** Threads of the pool (the caller's thread included). */
  readonly threads: number;
  /** `x64`, `arm64` or `other`. */
  readonly arch: string;
}

/** The addon's instruction set and thread count. @throws Error when the addon is not built */
export function nativeInfo(): NativeInfo {
  return loadAddon().info();
}

const SIMD_MODES = ['auto', 'off', 'scalar', '128', 'sse2', 'neon', 'avx2', 'avx512'];

/**
 * Chooses the GEMM micro-kernel: `auto` (best the CPU has), `off` (portable scalar), `128`, `avx2`,
 * `avx512` (falls back to the best available when the CPU lacks it). Same as DEEPSPIKE_NATIVE_SIMD.
 * @returns the instruction set now in use
 */
export function setNativeSimd(mode: string): string {
  if (!SIMD_MODES.includes(mode)) throw new Error(messages.badSimd(mode));
  return loadAddon().setSimd(mode);
}

/** Resizes the thread pool (same as DEEPSPIKE_THREADS at start-up). @returns the new size */
export function setNativeThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(messages.badThreads(n));
  return loadAddon().setThreads(n);
}

/**
 * Enables or disables the Winograd F(2x2, 3x3) path of dense 3x3 stride-1 convolutions, their
 * input gradients and their filter gradients (native/winograd.cc; on by default, DEEPSPIKE_WINOGRAD=0
 * starts it off).
 * Without an argument, only reads it. @returns whether it is now on
 */
export function setNativeWinograd(on?: boolean): boolean {
  return loadAddon().setWinograd(on);
}

/** The cores' measured fp32 FMA peak for the active instruction set and thread pool. */
export interface FmaPeak {
  /** The instruction set of the measurement (the micro-kernels'). */
  readonly simd: string;
  readonly threads: number;
  /** GFLOP/s of all threads together (2 flops per FMA lane). */
  readonly gflops: number;
  /** GFLOP/s of the best thread. */
  readonly gflopsPerThread: number;
}

/**
 * Measures the fp32 FMA peak (native/peak.cc): each pool thread runs independent register-resident
 * FMA chains for about `seconds`; each thread's best burst counts. The ceiling a kernel's GFLOP/s is
 * read against.
 */
export function measureFmaPeak(seconds = 0.5): FmaPeak {
  if (!(seconds > 0 && seconds <= 60)) throw new Error(messages.badPeakSeconds(seconds));
  return loadAddon().fmaPeak(seconds);
}

/** The machine's measured memory bandwidth (STREAM triad over the thread pool). */
export interface MemoryBandwidth {
  readonly threads: number;
  /** GB/s (1e9 bytes): two reads and one write of 4 bytes per element, as STREAM counts. */
  readonly gbps: number;
}

/**
 * Measures memory bandwidth (native/peak.cc): the STREAM triad over three 64 MiB arrays split across
 * the pool's threads for about `seconds`; the best pass counts. With {@link measureFmaPeak}, the
 * roofline a kernel's GFLOP/s is read against: min(peak, bandwidth x flops per byte).
 */
export function measureMemoryBandwidth(seconds = 0.5): MemoryBandwidth {
  if (!(seconds > 0 && seconds <= 60)) throw new Error(messages.badPeakSeconds(seconds));
  return loadAddon().memBandwidth(seconds);
}
