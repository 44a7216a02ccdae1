/** Shared helpers of the spiking-op tests: the backends every golden test runs on. */
import { initBackend, type BackendName } from '@deepspike/core';

/**
 * Backends the golden tests run under: `DEEPSPIKE_TEST_BACKENDS` (comma-separated, e.g.
 * `cpu,wasm,deepspike-native` once the native backend is built), default cpu (fused kernels) and
 * wasm (composite ops).
 */
export const GOLDEN_BACKENDS: readonly BackendName[] = (process.env.DEEPSPIKE_TEST_BACKENDS ?? 'cpu,wasm')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b.length > 0) as BackendName[];

/** Runs `body` inside a describe block whose tests run on `backend`. */
export function onBackend(backend: BackendName, body: () => void): void {
  describe(`on ${backend}`, () => {
    before(async () => {
      await initBackend(backend, { log: () => {} });
    });
    body();
  });
}
