import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  float32Values,
  DEEPSPIKE_LIF,
  DEEPSPIKE_LIF_GRAD,
  DEEPSPIKE_SURROGATE_GRAD,
  DeepSpikeError,
  backendHasKernels,
  initBackend,
  lif,
  registerCpuKernels,
  registry,
  spike,
  stbpRectangle,
  surrogateGrad,
  type Surrogate,
  seededRandom,
} from '@deepspike/core';
import { expectClose, expectEqualArrays } from '@deepspike/core/testing';
import { GOLDEN_BACKENDS, onBackend } from './spiking-helpers.js';

/** A small deterministic PRNG (mulberry32) for shapes and values. */

const atanLike: Surrogate = { name: 'atan', params: { alpha: 2 }, derivative: (x) => 1 / (1 + (Math.PI * x) ** 2) };

describe('fused LIF kernels vs composite ops', () => {
  for (const backend of GOLDEN_BACKENDS) {
    onBackend(backend, () => {
      it('the backend has the three kernels and lif uses them by default', async () => {
        registerCpuKernels();
        expect(backendHasKernels(DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, DEEPSPIKE_SURROGATE_GRAD)).to.equal(true);
        const x = tf.randomNormal([3, 2, 4]);
        const fused = await tf.profile(() => tf.grad((xx: Tensor) => tf.sum(lif(xx, { vth: 0.5, tau: 0.25, surrogate: stbpRectangle() }).spikes))(x));
        expect(fused.kernelNames).to.include.members([DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, DEEPSPIKE_SURROGATE_GRAD]);
        const composite = await tf.profile(() => lif(x, { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(), implementation: 'composite' }));
        expect(composite.kernelNames).to.not.include(DEEPSPIKE_LIF);
      });

      const rand = seededRandom(1234);
      for (let k = 0; k < 8; k++) {
        const rank = 2 + Math.floor(rand() * 4);
        const shape = [1 + Math.floor(rand() * 6), ...Array.from({ length: rank - 1 }, () => 1 + Math.floor(rand() * 5))];
        const vth = 0.2 + rand();
        const tau = rand() * 0.95;
        const detachReset = rand() < 0.5;
        const surrogate = k % 2 === 0 ? stbpRectangle(0.5 + rand() * 2) : atanLike;
        const label = `[${shape.join(', ')}] vth=${vth.toFixed(3)} tau=${tau.toFixed(3)} detachReset=${detachReset} ${surrogate.name}`;
        it(`same spikes, u and gradients (loss on spikes and u): ${label}`, () => {
          const before = tf.memory().numTensors;
          tf.tidy(() => {
            const size = shape.reduce((a, b) => a * b, 1);
            const x = tf.tensor(Float32Array.from({ length: size }, () => (rand() * 2 - 0.5) * vth), shape);
            const g1 = tf.tensor(Float32Array.from({ length: size }, () => rand() * 2 - 1), shape);
            const g2 = tf.tensor(Float32Array.from({ length: size }, () => rand() * 2 - 1), shape);
            const run = (implementation: 'fused' | 'custom-gradient' | 'composite') => {
              const opts = { vth, tau, surrogate, detachReset, implementation };
              const { spikes, u } = lif(x, opts);
              const dx = tf.grad((xx: Tensor) => {
                const r = lif(xx, opts);
                return tf.add(tf.sum(tf.mul(r.spikes, g1)), tf.sum(tf.mul(r.u, g2)));
              })(x);
              const dxSpikesOnly = tf.grad((xx: Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g1)))(x);
              return { spikes: spikes.dataSync(), u: u.dataSync(), dx: dx.dataSync(), dxS: dxSpikesOnly.dataSync() };
            };
            const c = run('composite');
            // the fused kernels, and the custom gradient over tf.js ops that backends without them run
            for (const impl of ['fused', 'custom-gradient'] as const) {
              const f = run(impl);
              expectEqualArrays(f.spikes, c.spikes, `${impl} spikes`);
              expectEqualArrays(f.u, c.u, `${impl} u (same float32 operation order)`);
              expectClose(f.dx, c.dx, { atol: 1e-5, rtol: 1e-4 }, `${impl} dx`);
              expectClose(f.dxS, c.dxS, { atol: 1e-5, rtol: 1e-4 }, `${impl} dx (spikes only)`);
            }
          });
          expect(tf.memory().numTensors, 'tensor leak').to.equal(before);
        });
      }
    });
  }

  describe('on cpu', () => {
    before(async () => {
      await initBackend('cpu', { log: () => {} });
      registerCpuKernels();
    });

    it('DeepSpikeSurrogateGrad resolves a {name, params} attribute through the registry (the native contract)', () => {
      registry.register('surrogate', 'test-scaled', { create: (p = {}) => ({ name: 'test-scaled', params: { k: p.k ?? 1 }, derivative: (x) => (p.k ?? 1) * x }) });
      try {
        const x = tf.tensor1d([-1, 0.5, 2]);
        const out = tf.engine().runKernel(DEEPSPIKE_SURROGATE_GRAD, { x }, { surrogate: { name: 'test-scaled', params: { k: 3 } } } as unknown as tf.NamedAttrMap) as Tensor;
        expect(Array.from(out.dataSync())).to.deep.equal([-3, 1.5, 6]);
        expect(() => tf.engine().runKernel(DEEPSPIKE_SURROGATE_GRAD, { x }, { surrogate: { name: 'nope', params: {} } } as unknown as tf.NamedAttrMap)).to.throw(
          DeepSpikeError,
          /surrogate "nope" is neither a Surrogate object nor registered/,
        );
      } finally {
        registry.unregister('surrogate', 'test-scaled');
      }
    });

    it('a backend without the kernels falls back to composite ops and JS surrogate derivatives, with the same results', async () => {
      const x = tf.tensor(Float32Array.from({ length: 60 }, (_, i) => 0.4 + 0.6 * Math.sin(i)), [5, 3, 4]);
      const g = tf.tensor(Float32Array.from({ length: 60 }, (_, i) => Math.cos(2 * i)), [5, 3, 4]);
      const opts = { vth: 0.5, tau: 0.3, surrogate: atanLike };
      const run = () => {
        const dx = tf.grad((xx: Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g)))(x);
        return { spikes: lif(x, opts).spikes.dataSync(), dx: dx.dataSync() };
      };
      const withKernels = run();
      const configs = [DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, DEEPSPIKE_SURROGATE_GRAD].map((n) => tf.getKernel(n, 'cpu') as tf.KernelConfig);
      for (const c of configs) tf.unregisterKernel(c.kernelName, 'cpu');
      try {
        expect(backendHasKernels(DEEPSPIKE_LIF)).to.equal(false);
        const prof = await tf.profile(() => tf.grad((xx: Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g)))(x));
        expect(prof.kernelNames).to.not.include.members([DEEPSPIKE_LIF]);
        const without = run();
        expectEqualArrays(without.spikes, withKernels.spikes, 'spikes');
        expectClose(without.dx, withKernels.dx, { atol: 1e-5, rtol: 1e-4 }, 'dx');
      } finally {
        for (const c of configs) tf.registerKernel(c);
      }
      expect(backendHasKernels(DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, DEEPSPIKE_SURROGATE_GRAD)).to.equal(true);
    });
  });
});

describe('spike', () => {
  for (const backend of GOLDEN_BACKENDS) {
    onBackend(backend, () => {
      it('forward is Heaviside with H(0) = 1; backward is dy * g\'(v)', () => {
        const v = tf.tensor1d([-1, -0.25, 0, 0.25, 0.7]);
        const dy = tf.tensor1d([1, 2, 3, 4, 5]);
        const s = stbpRectangle(1);
        expect(Array.from(spike(v, s).dataSync())).to.deep.equal([0, 0, 1, 1, 1]);
        const [dv] = tf.grads((vv: Tensor) => spike(vv, s))([v], dy);
        // rect alpha 1: 1 inside |v| < 0.5.
        expect(Array.from((dv as Tensor).dataSync())).to.deep.equal([0, 2, 3, 4, 0]);
        expectClose(surrogateGrad(v, atanLike).dataSync(), [-1, -0.25, 0, 0.25, 0.7].map((x) => atanLike.derivative(x)), { atol: 1e-7, rtol: 1e-6 });
      });
    });
  }
  it('rejects a non-surrogate', () => {
    expect(() => spike(tf.zeros([2]), {} as Surrogate)).to.throw(/spike: surrogate must be a Surrogate object/);
  });
});

describe('float32Values', () => {
  it('reads a float32 tensor stored by tf.js\'s cpu Cast as the bool/int32 input\'s array, as a float32 copy', async () => {
    await tf.setBackend('cpu');
    const spikes = tf.cast(tf.greaterEqual(tf.tensor([0.2, 0.7, 0.5, 0.1]), 0.5), 'float32');
    const stored = (tf.backend() as unknown as { data: { get(id: unknown): { values: unknown } } }).data.get(spikes.dataId).values;
    expect(stored).to.be.instanceOf(Uint8Array);
    const v = float32Values('float32', stored);
    expect(v).to.be.instanceOf(Float32Array);
    expect(Array.from(v!)).to.deep.equal([0, 1, 1, 0]);
    const own = new Float32Array([1.5]);
    expect(float32Values('float32', own)).to.equal(own);
    expect(float32Values('int32', new Int32Array([1]))).to.equal(null);
    expect(float32Values('float32', ['1'])).to.equal(null);
    spikes.dispose();
  });
});

describe("surrogate g' in tf.js ops (what backends without DeepSpikeSurrogateGrad run)", () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it("stbpRectangle's derivativeOps equals its derivative, window edges included", () => {
    for (const alpha of [1, 0.5, 2, 3]) {
      const s = stbpRectangle(alpha);
      const grid = Float32Array.from({ length: 801 }, (_, i) => (i - 400) / 256);
      const x = tf.tensor1d(grid);
      const g = (s.derivativeOps as (t: Tensor) => Tensor)(x);
      expectEqualArrays(g.dataSync(), Array.from(grid, (v) => Math.fround(s.derivative(v))), `rect alpha=${alpha}`);
      tf.dispose([x, g]);
    }
  });
});
