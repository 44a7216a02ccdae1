/**
 * Every user-facing message of @deepspike/backend-native, in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const messages = {
  addonMissing(path: string, cause: string): string {
    return (
      `@deepspike/backend-native: the native addon is not built, got ${cause} loading ${path}; ` +
      `expected build/Release/deepspike_native.node. Build it with \`npm run build:native -w @deepspike/backend-native\` ` +
      `(needs a C++ compiler, make and python3), or use the wasm backend.`
    );
  },
  /** The repeated-input tdBN+LIF kernels got what they cannot run (the op only calls them with what they can). */
  repeatedUnsupported(kernel: string, found: string): string {
    return (
      `deepspike-native ${kernel}: the repeated-input tdBN+LIF kernel cannot run, got ${found}; expected float32 x [n, C] ` +
      `(or [N, H, W, C] tiled by poolSize), an integer timesteps >= 1 and a surrogate of TDBN_LIF_POOL_SURROGATES. ` +
      `Call it through tdbnLifRepeatedWithStats, which tiles the input and runs the per-step op otherwise.`
    );
  },
  poolGradUnsupported(found: string): string {
    return (
      `deepspike-native DeepSpikeTdBNLIFAvgPoolGrad: the fused tdBN+LIF+pool gradient cannot run, got ${found}; expected ` +
      `float32 x [T, N, H, W, C] tiled by the pool and a surrogate of TDBN_LIF_POOL_SURROGATES. Run the pool as its own ` +
      `layer (tdbnLifWithStats then avgPool), or use one of those surrogates.`
    );
  },
  badEventInput(what: string, found: string, expected: string): string {
    return `nativeEventKernels: bad ${what}, got ${found}; expected ${expected}. Pass the arrays simulateInteger builds (or check the layer's shapes).`;
  },
  addonBroken(path: string, missing: readonly string[]): string {
    return (
      `@deepspike/backend-native: the addon at ${path} lacks functions, got no ${missing.join(', ')}; ` +
      `expected the full native API. Rebuild it with \`npm run build:native -w @deepspike/backend-native\`.`
    );
  },
  cpuBackendMissing(): string {
    return (
      `registerNativeBackend: the tf.js cpu backend has no kernels, got 0; expected the kernels of ` +
      `@tensorflow/tfjs-backend-cpu. Reinstall the dependencies with \`npm ci\`.`
    );
  },
  badSimd(mode: string): string {
    return `setNativeSimd: unknown mode "${mode}", got "${mode}"; expected one of auto, off, 128, avx2, avx512.`;
  },
  badThreads(n: number): string {
    return `setNativeThreads: the thread count must be an integer >= 1, got ${n}; expected e.g. 2. Pass the number of cores.`;
  },
  badPeakSeconds(s: number): string {
    return `measureFmaPeak: the measuring time must be in (0, 60] seconds, got ${s}; expected e.g. 0.5.`;
  },
} as const;
