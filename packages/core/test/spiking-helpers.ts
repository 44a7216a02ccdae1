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

/**
 * Like {@link onBackend} for a backend this machine may lack (tensorflow needs tfjs-node or
 * tfjs-node-gpu): where it cannot load, every test of the block is skipped with the reason.
 */
export function onBackendIfLoads(backend: BackendName, body: () => void): void {
  describe(`on ${backend} (where it loads)`, () => {
    before(async function () {
      try {
        await initBackend(backend, { log: () => {} });
      } catch (err) {
        console.log(`      skipped on ${backend}: ${(err as Error).message.split('. ')[0]}`);
        this.skip();
      }
    });
    after(async () => {
      await initBackend('cpu', { log: () => {} });
    });
    body();
  });
}
