import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { float32Values } from '@deepspike/core';
import { loadAddon, type NativeAddon } from '../addon.js';
import { NativeBackend } from '../native-backend.js';

/** The backend name every native kernel registers under. */
export const NATIVE_BACKEND = 'deepspike-native';

/** Arguments of a kernel function with the backend typed as the cpu backend. */
export interface NativeArgs {
  readonly inputs: Record<string, TensorInfo | undefined>;
  readonly backend: MathBackendCPU;
  readonly attrs: Record<string, unknown>;
}

/**
 * The float32 values of a tensor held by the (cpu-derived) backend, or null for another dtype. A
 * float32 tensor whose storage is another typed array (tf.js's cpu Cast shares a bool/int32 input's
 * storage) is read as a float32 copy, so native kernels never fall back to JS for it.
 */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array | null {
  return t.dtype === 'float32' ? float32Values(t.dtype, backend.data.get(t.dataId).values) : null;
}

/**
 * An output array of `n` elements whose every element the kernel will write: recycled from the
 * native backend's pool (contents unspecified), or new on any other backend. Every native kernel
 * writes its whole output (accumulating ones clear it first in C++), so none needs zeros here.
 */
export function alloc(backend: MathBackendCPU, n: number): Float32Array {
  return backend instanceof NativeBackend ? backend.pool.take(n) : new Float32Array(n);
}

/** Returns a kernel's scratch array (taken with {@link alloc}, never registered as a tensor) to the pool. */
export function release(backend: MathBackendCPU, a: Float32Array): void {
  if (backend instanceof NativeBackend) backend.pool.give(a);
}

/** A new float32 tensor of the backend from a typed array (no copy). */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/** Runs the cpu backend's kernel of the same name (the fallback for cases the native code skips). */
export function cpuFallback(name: string, args: NativeArgs): TensorInfo | TensorInfo[] {
  const k = tf.getKernel(name, 'cpu');
  if (!k) throw new Error(`deepspike-native: no cpu kernel ${name} to fall back to`);
  return k.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo | TensorInfo[];
}

/**
 * A kernel config whose function tries the native implementation and, when it returns null
 * (unsupported dtype/layout/attribute), runs the cpu kernel.
 */
export function nativeKernel(
  kernelName: string,
  impl: (addon: NativeAddon, args: NativeArgs) => TensorInfo | TensorInfo[] | null,
): KernelConfig {
  return {
    kernelName,
    backendName: NATIVE_BACKEND,
    kernelFunc: ((args: NativeArgs) => impl(loadAddon(), args) ?? cpuFallback(kernelName, args)) as unknown as KernelFunc,
  };
}

/** Product of the dims. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Below this many elements per contiguous run, a block-copy kernel (Tile, Slice) leaves the work to the cpu kernel's element loop, which is as good. */
export const MIN_BLOCK_COPY = 64;
