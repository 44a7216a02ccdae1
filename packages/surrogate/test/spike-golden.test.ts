import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Registry, initBackend, installPlugin, spike, type BackendName } from '@deepspike/core';
import { expectClose, expectEqualArrays, loadGolden } from '@deepspike/core/testing';
import { deepspikePlugin } from '@deepspike/surrogate';
import { NAMES, ourParams } from './golden-names.js';

interface GoldenTensor {
  shape: number[];
  data: number[];
}
interface GoldenFile {
  x: GoldenTensor;
  functions: Array<{ name: string; variants: Array<{ params: Record<string, number>; forward: GoldenTensor; grad: GoldenTensor }> }>;
}

const golden = loadGolden<GoldenFile>('surrogates.json');
const registry = new Registry();
installPlugin(deepspikePlugin, registry);
const BACKENDS = (process.env.DEEPSPIKE_TEST_BACKENDS ?? 'cpu,wasm').split(',').map((b) => b.trim()).filter(Boolean) as BackendName[];

describe('spike(v, surrogate) on tensors reproduces surrogates.json (forward and float32 gradient)', () => {
  for (const backend of BACKENDS) {
    describe(`on ${backend}`, () => {
      before(async () => {
        await initBackend(backend, { log: () => {} });
      });
      it('every variant of every function', () => {
        for (const fn of golden.functions) {
          fn.variants.forEach((variant, vi) => {
            const s = registry.get('surrogate', NAMES[fn.name] as string).create(ourParams(variant.params));
            tf.tidy(() => {
              const x = tf.tensor(new Float32Array(golden.x.data), golden.x.shape, 'float32');
              expectEqualArrays(spike(x, s).dataSync(), variant.forward.data, `${fn.name}[${vi}] forward`);
              const dx = tf.grad((v: Tensor) => spike(v, s))(x);
              expectClose(dx.dataSync(), variant.grad.data, { atol: 1e-6, rtol: 1e-5 }, `${fn.name}[${vi}] grad`);
            });
          });
        }
      });
    });
  }
});
