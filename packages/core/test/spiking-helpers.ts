/** Shared helpers of the spiking-op tests: the backends every golden test runs on. */
import { initBackend, type BackendName } from '@deepspike/core';

/** Backends the golden tests run under (cpu has the fused kernels, wasm uses composite ops). */
export const GOLDEN_BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

/** Runs `body` inside a describe block whose tests run on `backend`. */
export function onBackend(backend: BackendName, body: () => void): void {
  describe(`on ${backend}`, () => {
    before(async () => {
      await initBackend(backend, { log: () => {} });
    });
    body();
  });
}
