/** The backend-native functions the profile uses, when that optional package is installed. */
export interface NativeProfilingHooks {
  nativeInfo(): { simd: string; threads: number };
  measureFmaPeak(seconds?: number): { simd: string; threads: number; gflops: number; gflopsPerThread: number };
  measureMemoryBandwidth(seconds?: number): { threads: number; gbps: number };
  traceConvPaths(into: ConvPath[] | null): void;
}

/** How one conv forward / filter-gradient / input-gradient call ran on the native backend. */
export interface ConvPath {
  readonly kind: 'conv' | 'convFilter' | 'convInput';
  readonly path: 'spikes' | 'dense' | 'winograd';
  readonly elements: number;
  readonly density: number | null;
}

/** @deepspike/backend-native's profiling hooks (an optional dependency of bench), or null when it is absent. */
export async function nativeProfilingHooks(): Promise<NativeProfilingHooks | null> {
  try {
    const hooks: NativeProfilingHooks = await import('@deepspike/backend-native');
    return hooks;
  } catch {
    return null;
  }
}
