import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { InvalidArgumentError, lif, stbpRectangle, type LIFImplementation, type Surrogate } from '@deepspike/core';
import { checkGrad, expectClose, expectEqualArrays, goldenTensor, loadGolden, type GoldenTensor } from '@deepspike/core/testing';
import { GOLDEN_BACKENDS, onBackend, onBackendIfLoads } from './spiking-helpers.js';

interface LifCase {
  Vth: number;
  tau: number;
  a: number;
  detach_reset: boolean;
  o: GoldenTensor;
  u: GoldenTensor;
  v_post_reset: GoldenTensor;
  grad_x: GoldenTensor;
}
const golden = loadGolden<{ x: GoldenTensor; g: GoldenTensor; cases: LifCase[] }>('lif_stbp.json');
const FWD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };

/** Runs lif on the golden x (the neuron is elementwise, so the golden [T,N,C,H,W] layout is used as is). */
function runCase(c: LifCase, implementation: LIFImplementation) {
  return tf.tidy(() => {
    const x = goldenTensor(golden.x);
    const g = goldenTensor(golden.g);
    const opts = { vth: c.Vth, tau: c.tau, surrogate: stbpRectangle(1 / c.a), detachReset: c.detach_reset, implementation };
    const { spikes, u } = lif(x, opts);
    const vPost = tf.mul(u, tf.sub(1, spikes));
    const dx = tf.grad((xx: Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g)))(x);
    return { o: spikes.dataSync().slice(), u: u.dataSync().slice(), vPost: vPost.dataSync().slice(), dx: dx.dataSync().slice() };
  });
}

describe('lif: lif_stbp.json golden cases', () => {
  for (const backend of GOLDEN_BACKENDS) {
    onBackend(backend, () => {
      for (const c of golden.cases) for (const impl of ['fused', 'custom-gradient', 'composite'] as const) {
        const label = `${impl}: Vth=${c.Vth} tau=${c.tau} a=${c.a} detachReset=${c.detach_reset}`;
        it(`${label}: spikes exact, u, v_post_reset, grad_x`, () => {
          const before = tf.memory().numTensors;
          const r = runCase(c, impl);
          expectEqualArrays(r.o, c.o.data, 'spikes');
          expectClose(r.u, new Float32Array(c.u.data), FWD, 'u');
          expectClose(r.vPost, new Float32Array(c.v_post_reset.data), FWD, 'v_post_reset');
          expectClose(r.dx, new Float32Array(c.grad_x.data), GRAD, 'grad_x');
          expect(tf.memory().numTensors, 'tensor leak').to.equal(before);
        });
      }
    });
  }

  // tfjs-node(-gpu) has no DeepSpike kernels: there lif runs (and 'auto' picks) the custom gradient.
  onBackendIfLoads('tensorflow', () => {
    for (const c of golden.cases) for (const impl of ['auto', 'custom-gradient', 'composite'] as const) {
      it(`${impl}: Vth=${c.Vth} tau=${c.tau} a=${c.a} detachReset=${c.detach_reset}: spikes exact, u, v_post_reset, grad_x`, () => {
        const r = runCase(c, impl);
        expectEqualArrays(r.o, c.o.data, 'spikes');
        expectClose(r.u, new Float32Array(c.u.data), FWD, 'u');
        expectClose(r.vPost, new Float32Array(c.v_post_reset.data), FWD, 'v_post_reset');
        expectClose(r.dx, new Float32Array(c.grad_x.data), GRAD, 'grad_x');
      });
    }
  });

  it('the two detach variants differ in grad_x only (golden and ours)', async () => {
    const [a, b] = [golden.cases[0] as LifCase, golden.cases[1] as LifCase];
    expect(a.detach_reset).to.not.equal(b.detach_reset);
    const ra = runCase(a, 'auto');
    const rb = runCase(b, 'auto');
    expectEqualArrays(ra.o, rb.o, 'spikes');
    expectEqualArrays(ra.u, rb.u, 'u');
    const differs = Array.from(ra.dx).some((v, i) => v !== rb.dx[i]);
    expect(differs, 'detachReset must change grad_x').to.equal(true);
  });
});

describe('lif: dynamics and gradients', () => {
  for (const backend of GOLDEN_BACKENDS) {
    onBackend(backend, () => {
      it('follows u[t] = tau*u[t-1]*(1-o[t-1]) + x[t] written out for three steps', () => {
        // One neuron, vth 1, tau 0.5: x = 0.6, 0.8, 0.9 -> u0 = 0.6 (no spike), u1 = 0.3 + 0.8 = 1.1 (spike),
        // u2 = 0 + 0.9 (reset) = 0.9 (no spike).
        const { spikes, u } = lif(tf.tensor2d([[0.6], [0.8], [0.9]]), { vth: 1, tau: 0.5, surrogate: stbpRectangle() });
        expect(Array.from(spikes.dataSync())).to.deep.equal([0, 1, 0]);
        expectClose(u.dataSync(), [0.6, Math.fround(0.3) + Math.fround(0.8), 0.9], FWD, 'u');
      });

      for (const detachReset of [false, true]) {
        it(`passes checkGrad away from thresholds (detachReset ${detachReset})`, () => {
          // Finite differences see spikes as locally constant, so the surrogate path (golden-tested above)
          // is switched off with a narrow rectangle (|u - vth| < 0.01) while every u stays >= 0.03 from vth:
          // this checks the leak tau*(1-o) and the reset gating through time for both variants.
          const narrow = stbpRectangle(50);
          const x = tf.tensor(Float32Array.from({ length: 4 * 2 * 3 }, (_, i) => 0.14 + 0.6 * Math.sin(1.7 * i)), [4, 2, 3]);
          const w = tf.tensor(Float32Array.from({ length: 4 * 2 * 3 }, (_, i) => Math.cos(0.9 * i)), [4, 2, 3]);
          const f = (xx: Tensor) => tf.sum(tf.mul(lif(xx, { vth: 0.5, tau: 0.5, surrogate: narrow, detachReset }).u, w));
          const { spikes, u } = lif(x, { vth: 0.5, tau: 0.5, surrogate: narrow });
          const margin = Math.min(...Array.from(u.dataSync(), (v) => Math.abs(v - 0.5)));
          expect(margin, 'inputs must stay away from the threshold').to.be.greaterThan(0.03);
          expect(tf.sum(spikes).dataSync()[0], 'some neurons fire and reset').to.be.greaterThan(4);
          checkGrad(f, [x], { eps: 5e-3, atol: 1e-3, rtol: 1e-3 });
        });
      }
    });
  }
});

describe('lif: bad input', () => {
  const s = stbpRectangle();
  const x = tf.zeros([2, 3]);
  it('vth <= 0', () => {
    expect(() => lif(x, { vth: 0, tau: 0.25, surrogate: s })).to.throw(
      InvalidArgumentError,
      'lif: the threshold vth must be a finite number > 0, got 0; expected vth > 0 (e.g. 0.5). Pass a positive vth.',
    );
    expect(() => lif(x, { vth: -1, tau: 0.25, surrogate: s })).to.throw(InvalidArgumentError, /got -1/);
  });
  it('tau outside [0, 1)', () => {
    expect(() => lif(x, { vth: 0.5, tau: 1, surrogate: s })).to.throw(InvalidArgumentError, /lif: the decay tau must lie in \[0, 1\), got 1; expected \[0, 1\)/);
    expect(() => lif(x, { vth: 0.5, tau: 2, surrogate: s })).to.throw(InvalidArgumentError, /Pass a decay factor, not a time constant/);
    expect(() => lif(x, { vth: 0.5, tau: -0.1, surrogate: s })).to.throw(InvalidArgumentError, /got -0.1/);
  });
  it('a surrogate that is not a Surrogate object', () => {
    expect(() => lif(x, { vth: 0.5, tau: 0.25, surrogate: 'rect' as unknown as Surrogate })).to.throw(
      InvalidArgumentError,
      /lif: surrogate must be a Surrogate object \{name, params, derivative\(x\)\}, got the string "rect"; expected e\.g\. rect\(\{alpha: 1\}\)/,
    );
  });
  it('rank < 2 and integer dtype', () => {
    expect(() => lif(tf.zeros([4]), { vth: 0.5, tau: 0.25, surrogate: s })).to.throw(InvalidArgumentError, /lif: x has rank 1, got shape \[4\]; expected rank >= 2/);
    expect(() => lif(tf.zeros([4, 2], 'int32'), { vth: 0.5, tau: 0.25, surrogate: s })).to.throw(InvalidArgumentError, /got dtype int32; expected float32/);
  });
});
