import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { lif, stbpRectangle, registerCpuKernels, type Surrogate } from '@deepspike/core';
import { expectClose, expectEqualArrays, goldenSequenceNHWC, goldenTensor, loadGolden, type GoldenTensor } from '@deepspike/core/testing';
import { closeness, rand, setup, skipWithoutAddon, under } from './helpers.js';

const FORWARD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };

interface LifCase { Vth: number; tau: number; a: number; detach_reset: boolean; o: GoldenTensor; u: GoldenTensor; grad_x: GoldenTensor }

describe('native DeepSpikeLIF / DeepSpikeLIFGrad', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
    registerCpuKernels();
  });

  it('reproduces the golden vectors of lif_stbp.json (spikes exact, u, grad_x)', () => {
    const golden = loadGolden<{ x: GoldenTensor; g: GoldenTensor; cases: LifCase[] }>('lif_stbp.json');
    tf.setBackend('deepspike-native');
    try {
      for (const c of golden.cases) {
        const opts = { vth: c.Vth, tau: c.tau, surrogate: stbpRectangle(1 / c.a), detachReset: c.detach_reset, implementation: 'fused' as const };
        tf.tidy(() => {
          const x = goldenTensor(golden.x);
          const g = goldenTensor(golden.g);
          const r = lif(x, opts);
          expectEqualArrays(r.spikes.dataSync(), c.o.data, 'o');
          expectClose(r.u.dataSync(), c.u.data, FORWARD, 'u');
          const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g)))(x);
          expectClose(dx.dataSync(), c.grad_x.data, GRAD, `grad_x (detach ${c.detach_reset})`);
        });
      }
    } finally {
      tf.setBackend('cpu');
    }
  });

  for (const detachReset of [false, true]) {
    it(`matches the cpu fused kernels on [4, 3, 9, 7, 5] (values, and gradients through spikes and u; detach ${detachReset})`, () => {
      const x = rand([4, 3, 9, 7, 5], 31, -0.5, 1.5);
      const gs = rand(x.shape, 32);
      const gu = rand(x.shape, 33);
      const opts = { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1), detachReset, implementation: 'fused' as const };
      const run = () => {
        const r = lif(x, opts);
        const dx = tf.grad((xx: tf.Tensor) => {
          const q = lif(xx, opts);
          return tf.add(tf.sum(tf.mul(q.spikes, gs)), tf.sum(tf.mul(q.u, gu)));
        })(x);
        return [r.spikes, r.u, dx];
      };
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      expect(closeness(nat[0]!, cpu[0]!, 1e-9, 0), 'spikes (exact)').to.be.at.most(1);
      expect(closeness(nat[1]!, cpu[1]!, 1e-6, 1e-6), 'u').to.be.at.most(1);
      expect(closeness(nat[2]!, cpu[2]!, 1e-5, 1e-5), 'dx').to.be.at.most(1);
      tf.dispose([x, gs, gu]);
    });
  }

  const families: Array<[string, Record<string, number>, (x: number) => number]> = [
    ['rect', { alpha: 1 }, (x) => (Math.abs(x) < 0.5 ? 1 : 0)],
    ['rect', { alpha: 2.5 }, (x) => (Math.abs(x) < 0.2 ? 2.5 : 0)],
    ['sigmoid', { alpha: 4 }, (x) => { const s = 1 / (1 + Math.exp(-4 * x)); return 4 * s * (1 - s); }],
    ['atan', { alpha: 2 }, (x) => 1 / (1 + (Math.PI * x) ** 2)],
    ['piecewise-quadratic', { alpha: 1 }, (x) => Math.max(0, 1 - Math.abs(x))],
  ];
  for (const [name, params, g] of families) {
    it(`DeepSpikeSurrogateGrad ${name} ${JSON.stringify(params)} equals the formula`, () => {
      const x = rand([5000], 17, -2, 2);
      const xs = x.dataSync();
      tf.setBackend('deepspike-native');
      const out = tf.tidy(() => (tf.engine().runKernel('DeepSpikeSurrogateGrad', { x }, { surrogate: { name, params } } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync());
      tf.setBackend('cpu');
      expectClose(out, Array.from(xs, (v) => Math.fround(g(v))), { atol: 1e-6, rtol: 1e-5 }, name);
      x.dispose();
    });
  }

  const lifGradFamilies: Array<[string, Record<string, number>, (x: number) => number]> = [
    ...families,
    ['my-triangle', { w: 1 }, (x) => Math.max(0, 1 - Math.abs(x))],
  ];
  for (const [name, params, g] of lifGradFamilies) {
    it(`the LIF gradient through the fused DeepSpikeLIFGradSurrogate equals the cpu path (${name} ${JSON.stringify(params)})`, () => {
      const surrogate = { name, params, derivative: g } as unknown as Surrogate;
      const x = rand([4, 2, 6, 5, 7], 51, -0.5, 1.5);
      const gs = rand(x.shape, 52);
      const gu = rand(x.shape, 53);
      const opts = { vth: 0.5, tau: 0.25, surrogate, detachReset: false, implementation: 'fused' as const };
      const run = () => tf.grad((xx: tf.Tensor) => {
        const q = lif(xx, opts);
        return tf.add(tf.sum(tf.mul(q.spikes, gs)), tf.sum(tf.mul(q.u, gu)));
      })(x);
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      expect(closeness(nat[0]!, cpu[0]!, 1e-5, 1e-5), 'dx').to.be.at.most(1);
      tf.dispose([x, gs, gu]);
    });
  }

  it('DeepSpikeSurrogateGrad falls back to the JS derivative for a family it does not know', () => {
    const custom: Surrogate = { name: 'my-triangle', params: { w: 1 }, derivative: (v: number) => Math.max(0, 1 - Math.abs(v)) } as unknown as Surrogate;
    const x = rand([100], 3, -2, 2);
    tf.setBackend('deepspike-native');
    const out = tf.tidy(() => (tf.engine().runKernel('DeepSpikeSurrogateGrad', { x }, { surrogate: custom } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync());
    tf.setBackend('cpu');
    expectClose(out, Array.from(x.dataSync(), (v) => Math.fround(Math.max(0, 1 - Math.abs(v)))), { atol: 1e-7, rtol: 0 });
    x.dispose();
  });
});

interface TdbnCase { Vth: number; alpha: number; alpha_name: string; y: GoldenTensor; mean: GoldenTensor; grad_x: GoldenTensor; grad_lambda: GoldenTensor; grad_beta: GoldenTensor }

describe('native DeepSpikeTdBN / DeepSpikeTdBNGrad', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('reproduces tdbn.json (y, mean, grad_x, grad_lambda, grad_beta) through the kernels', () => {
    const golden = loadGolden<{ eps: number; x: GoldenTensor; g: GoldenTensor; lambda: GoldenTensor; beta: GoldenTensor; cases: TdbnCase[] }>('tdbn.json');
    tf.setBackend('deepspike-native');
    try {
      for (const c of golden.cases) {
        tf.tidy(() => {
          const x5 = goldenSequenceNHWC(golden.x);
          const C = x5.shape[4] as number;
          const x = tf.reshape(x5, [-1, C]);
          const dy = tf.reshape(goldenSequenceNHWC(golden.g), [-1, C]);
          const lambda = goldenTensor(golden.lambda);
          const beta = goldenTensor(golden.beta);
          const attrs = { alpha: c.alpha, vth: c.Vth, epsilon: golden.eps } as unknown as tf.NamedAttrMap;
          const [y, mean, invStd] = tf.engine().runKernel('DeepSpikeTdBN', { x, lambda, beta }, attrs) as tf.Tensor[];
          const yRef = tf.reshape(goldenSequenceNHWC(c.y), [-1, C]);
          expectClose(y!.dataSync(), yRef.dataSync(), FORWARD, 'y');
          expectClose(mean!.dataSync(), c.mean.data, FORWARD, 'mean');
          const [dx, dL, dB] = tf.engine().runKernel('DeepSpikeTdBNGrad', { dy, x, mean: mean!, invStd: invStd!, lambda }, attrs) as tf.Tensor[];
          expectClose(dx!.dataSync(), tf.reshape(goldenSequenceNHWC(c.grad_x), [-1, C]).dataSync(), GRAD, `grad_x ${c.alpha_name}`);
          expectClose(dL!.dataSync(), c.grad_lambda.data, GRAD, 'grad_lambda');
          expectClose(dB!.dataSync(), c.grad_beta.data, GRAD, 'grad_beta');
        });
      }
    } finally {
      tf.setBackend('cpu');
    }
  });

  it('matches a float64 reference on a large, offset input [20000, 24]', () => {
    const x = tf.add(rand([20000, 24], 5, -1, 1), tf.mul(tf.range(0, 24), 100));
    const dy = rand([20000, 24], 6);
    const lambda = rand([24], 7, 0.5, 1.5);
    const beta = rand([24], 8);
    const xs = x.dataSync(), ds = dy.dataSync(), ls = lambda.dataSync(), bs = beta.dataSync();
    tf.setBackend('deepspike-native');
    const attrs = { alpha: Math.SQRT1_2, vth: 0.5, epsilon: 1e-5 } as unknown as tf.NamedAttrMap;
    const [y, mean, invStd] = tf.engine().runKernel('DeepSpikeTdBN', { x, lambda, beta }, attrs) as tf.Tensor[];
    const [dx] = tf.engine().runKernel('DeepSpikeTdBNGrad', { dy, x, mean: mean!, invStd: invStd!, lambda }, attrs) as tf.Tensor[];
    tf.setBackend('cpu');
    const M = 20000, C = 24;
    const yv = y!.dataSync(), dxv = dx!.dataSync();
    for (const c of [0, 7, 23]) {
      let m = 0; for (let r = 0; r < M; r++) m += xs[r * C + c]!; m /= M;
      let v = 0; for (let r = 0; r < M; r++) v += (xs[r * C + c]! - m) ** 2; v /= M;
      const rs = 1 / Math.sqrt(v + 1e-5), k = ls[c]! * Math.SQRT1_2 * 0.5 * rs;
      let sd = 0, sdx = 0; for (let r = 0; r < M; r++) { const xh = (xs[r * C + c]! - m) * rs; sd += ds[r * C + c]!; sdx += ds[r * C + c]! * xh; }
      for (const r of [0, 1, 4999, 19999]) {
        const xh = (xs[r * C + c]! - m) * rs;
        expect(yv[r * C + c]!).to.be.closeTo(k * (xs[r * C + c]! - m) + bs[c]!, 1e-5);
        expect(dxv[r * C + c]!).to.be.closeTo(k * (ds[r * C + c]! - sd / M - xh * sdx / M), 1e-5);
      }
    }
    tf.dispose([x, dy, lambda, beta, y!, mean!, invStd!, dx!]);
  });
});
