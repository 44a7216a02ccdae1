import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { LIF, normIntoNeuronPool, Pool, stbpRectangle, type Surrogate } from '@deepspike/core';
import { TdBN, tdbnLifWithStats, tdbnLifPoolWithStats, hasFusedTdbnLif, hasFusedTdbnLifPool, type TdbnImplementation } from '@deepspike/tdbn';
import { closeness, fusedOpRun, kernelsRun, mismatches, rand, setup, skipWithoutAddon, under } from './helpers.js';

/** Spikes, mean, variance and the gradients of sum(spikes * g) for x, lambda, beta [and the residual]. */
function run(x: tf.Tensor, residual: tf.Tensor | null, surrogate: Surrogate, detachReset: boolean, implementation: TdbnImplementation): tf.Tensor[] {
  const c = x.shape[x.rank - 1] as number;
  const lambda = tf.add(1, tf.mul(0.3, rand([c], 11)));
  const beta = tf.mul(0.2, rand([c], 12));
  const g = rand(x.shape, 13);
  const norm = { alpha: Math.SQRT1_2, vth: 0.5, lambda, beta, epsilon: 1e-5, implementation };
  const neuron = { vth: 0.5, tau: 0.25, surrogate, detachReset };
  const f = (xx: tf.Tensor, l: tf.Tensor, b: tf.Tensor, r?: tf.Tensor): tf.Tensor => {
    const out = tdbnLifWithStats(xx, { ...norm, lambda: l, beta: b }, neuron, r ?? null);
    tf.dispose([out.mean, out.variance]);
    return tf.sum(tf.mul(out.spikes, g));
  };
  const stats = tdbnLifWithStats(x, norm, neuron, residual);
  const grads = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)(residual ? [x, lambda, beta, residual] : [x, lambda, beta]);
  return [stats.spikes, stats.mean, stats.variance, ...grads];
}

describe('native DeepSpikeTdBNLIF / DeepSpikeTdBNAddLIF / DeepSpikeTdBNLIFGrad', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('registers the fused kernels for deepspike-native (and cpu)', () => {
    expect(hasFusedTdbnLif('deepspike-native')).to.equal(true);
    expect(hasFusedTdbnLif('cpu')).to.equal(true);
  });

  // Shapes: odd sizes, one channel, three channels over several 1365-row blocks, 64 channels, T = 1.
  const shapes: number[][] = [[4, 2, 5, 3, 8], [3, 4, 7], [2, 3, 6, 5, 1], [2, 8, 20, 20, 3], [4, 2, 9, 7, 64], [1, 5, 4, 4, 16]];
  for (const shape of shapes) {
    for (const withResidual of [false, true]) {
      it(`${shape.join('x')}${withResidual ? ' + residual' : ''}: equals the cpu fused kernels and the unfused composition (values and gradients)`, () => {
        const x = rand(shape, 1, -1.5, 2.5);
        const r = withResidual ? rand(shape, 2, -0.5, 0.5) : null;
        const sur = stbpRectangle(1);
        const native = under('deepspike-native', () => run(x, r, sur, false, 'auto'));
        const cpu = under('cpu', () => run(x, r, sur, false, 'auto'));
        const composite = under('deepspike-native', () => run(x, r, sur, false, 'composite'));
        // Same arithmetic as the cpu kernel: identical spikes and statistics.
        expect(mismatches(native[0]!, cpu[0]!), 'spikes vs cpu fused').to.equal(0);
        expect(Array.from(native[1]!)).to.deep.equal(Array.from(cpu[1]!));
        expect(closeness(native[2]!, cpu[2]!, 1e-6, 1e-5)).to.be.at.most(1);
        // The composition normalises with the float64 mean: at most a spike on the threshold may differ.
        expect(mismatches(native[0]!, composite[0]!), 'spikes vs composite').to.be.at.most(Math.ceil(native[0]!.length * 1e-4));
        for (let i = 3; i < native.length; i++) {
          expect(closeness(native[i]!, cpu[i]!, 1e-4, 1e-4), `gradient ${i - 3} vs cpu fused`).to.be.at.most(1);
          expect(closeness(native[i]!, composite[i]!, 1e-4, 1e-3), `gradient ${i - 3} vs composite`).to.be.at.most(1);
        }
        // The gradients are not trivially zero.
        expect(native[3]!.some((v) => v !== 0)).to.equal(true);
      });
    }
  }

  // The families the native code computes itself (the composition runs the native LIF kernels).
  const families: Array<[string, number, boolean, (x: number) => number]> = [
    // 0.5/3 is not a float32: the kernel's float32 window must select the same elements as the float64 one.
    ['rect', 3, false, (x) => (Math.abs(x) < 0.5 / 3 ? 3 : 0)],
    ['sigmoid', 4, false, (x) => { const s = 1 / (1 + Math.exp(-4 * x)); return 4 * s * (1 - s); }],
    ['atan', 2, true, (x) => 1 / (1 + (Math.PI * x) ** 2)],
    ['piecewise-quadratic', 1, true, (x) => Math.max(0, 1 - Math.abs(x))],
  ];
  for (const [name, alpha, detach, derivative] of families) {
    it(`${name} {alpha: ${alpha}}, detachReset ${detach}: gradients equal the composition`, () => {
      const sur = { name, params: { alpha }, primitive: (v: number) => (v >= 0 ? 1 : 0), derivative } as unknown as Surrogate;
      const x = rand([4, 3, 6, 5, 8], 5, -1, 2);
      const r = rand([4, 3, 6, 5, 8], 6, -0.5, 0.5);
      const native = under('deepspike-native', () => run(x, r, sur, detach, 'auto'));
      const composite = under('deepspike-native', () => run(x, r, sur, detach, 'composite'));
      for (let i = 3; i < native.length; i++) expect(closeness(native[i]!, composite[i]!, 1e-4, 1e-3), `gradient ${i - 3}`).to.be.at.most(1);
    });
  }

  it('a surrogate the native code does not know runs the cpu kernel for the gradient', () => {
    const triangle = { name: 'my-triangle', params: { w: 1 }, primitive: (v: number) => (v >= 0 ? 1 : 0), derivative: (v: number) => Math.max(0, 1 - Math.abs(v)) } as unknown as Surrogate;
    const x = rand([3, 2, 4, 4, 5], 7, -1, 2);
    const native = under('deepspike-native', () => run(x, null, triangle, false, 'auto'));
    const cpu = under('cpu', () => run(x, null, triangle, false, 'auto'));
    for (let i = 3; i < native.length; i++) expect(closeness(native[i]!, cpu[i]!, 1e-6, 1e-6), `gradient ${i - 3}`).to.be.at.most(1);
  });
});

/** Pooled spikes, mean, variance and the gradients of sum(pooled * g) for x, lambda, beta. */
function runPooled(x: tf.Tensor, k: number, surrogate: Surrogate, implementation: TdbnImplementation): tf.Tensor[] {
  const [t, n, h, w, c] = x.shape as number[];
  const neuron = { vth: 0.5, tau: 0.25, surrogate, detachReset: false };
  return fusedOpRun(x, [t!, n!, h! / k, w! / k, c!], implementation, (xx, norm) => {
    const r = tdbnLifPoolWithStats(xx, norm, neuron, k);
    return { spikes: r.pooled, mean: r.mean, variance: r.variance };
  });
}

describe('native DeepSpikeTdBNLIFAvgPool / DeepSpikeTdBNLIFAvgPoolGrad (tdBN+LIF with the average pool fused)', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('is registered for deepspike-native only (cpu composes)', () => {
    expect(hasFusedTdbnLifPool('deepspike-native')).to.equal(true);
    expect(hasFusedTdbnLifPool('cpu')).to.equal(false);
  });

  // Windows of 2, 3, 4; odd channel counts; groups of k rows that do and do not divide the kernel's blocks.
  const cases: Array<[number[], number]> = [[[4, 2, 6, 6, 8], 2], [[3, 2, 9, 6, 5], 3], [[2, 3, 8, 8, 16], 4], [[4, 4, 28, 28, 3], 2], [[2, 2, 14, 14, 64], 2]];
  for (const [shape, k] of cases) {
    it(`${shape.join('x')}, pool ${k}: the fused kernel's pooled spikes equal tdbnLif + avgPool bit for bit, its gradients within float32 rounding`, () => {
      const x = rand(shape, 1, -1.5, 2.5);
      const sur = stbpRectangle(1);
      let names: string[] = [];
      const fused = under('deepspike-native', () => {
        let out: tf.Tensor[] = [];
        names = kernelsRun(() => (out = runPooled(x, k, sur, 'auto')));
        return out;
      });
      expect(names, 'the fused kernels ran').to.include.members(['DeepSpikeTdBNLIFAvgPool', 'DeepSpikeTdBNLIFAvgPoolGrad']);
      expect(names, 'no separate pool').to.not.include('AvgPool');
      // The unfused native kernels (tdbnLif then avgPool): the same spikes, pooled in the same order.
      const unfused = under('deepspike-native', () => {
        const r = runPooled(x, k, { ...sur, name: `${sur.name}-unfused` } as Surrogate, 'auto');
        return r;
      });
      const cpu = under('cpu', () => runPooled(x, k, sur, 'auto'));
      expect(mismatches(fused[0]!, unfused[0]!), 'pooled vs native unfused').to.equal(0);
      expect(mismatches(fused[0]!, cpu[0]!), 'pooled vs cpu').to.equal(0);
      expect(Array.from(fused[1]!)).to.deep.equal(Array.from(cpu[1]!));
      for (let i = 3; i < fused.length; i++) {
        expect(closeness(fused[i]!, cpu[i]!, 1e-5, 1e-4), `gradient ${i - 3} vs cpu`).to.be.at.most(1);
        expect(closeness(fused[i]!, unfused[i]!, 1e-5, 1e-4), `gradient ${i - 3} vs native unfused`).to.be.at.most(1);
      }
      expect(fused[3]!.some((v) => v !== 0)).to.equal(true);
      x.dispose();
    });
  }

  it('composes where it cannot fuse: a surrogate outside TDBN_LIF_POOL_SURROGATES, implementation composite; refuses a pool that does not tile', () => {
    const x = rand([2, 2, 6, 6, 4], 5, -1.5, 2.5);
    const custom = { ...stbpRectangle(1), name: 'my-rect' } as Surrogate;
    tf.setBackend('deepspike-native');
    try {
      expect(kernelsRun(() => tf.tidy(() => { runPooled(x, 2, custom, 'auto'); }))).to.include('AvgPool').and.not.include('DeepSpikeTdBNLIFAvgPool');
      expect(kernelsRun(() => tf.tidy(() => { runPooled(x, 2, stbpRectangle(1), 'composite'); }))).to.not.include('DeepSpikeTdBNLIFAvgPool');
      const lambda = tf.ones([4]);
      const beta = tf.zeros([4]);
      expect(() => tdbnLifPoolWithStats(x, { alpha: 1, vth: 0.5, lambda, beta }, { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1) }, 4))
        .to.throw(/H and W multiples of the window size, got x .*6.*and size 4; expected an integer size/);
      tf.dispose([lambda, beta]);
    } finally {
      tf.setBackend('cpu');
      x.dispose();
    }
  });
});

describe('normIntoNeuronPool: TdBN -> LIF -> average pool layers fused on deepspike-native', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  /** Output, gradients (x, lambda, beta), running statistics and the LIF's recorded rate, with the LIF's spike recording as given. */
  function blockRun(x: tf.Tensor, recordSpikes: boolean, poolSize: number): { values: Float32Array[]; kernels: string[] } {
    const c = x.shape[4] as number;
    let kernels: string[] = [];
    const values = under('deepspike-native', () => {
      const norm = new TdBN('bn', { channels: c, alpha: 1, vth: 0.5 });
      const lif = new LIF('lif', { vth: 0.5, tau: 0.25 });
      const pool = new Pool('pool', { mode: 'avg', size: poolSize });
      lif.recordRates = true;
      lif.recordSpikes = recordSpikes;
      const [t, n, h, w] = x.shape as number[];
      const g = rand([t!, n!, Math.floor(h! / poolSize), Math.floor(w! / poolSize), c], 21);
      const loss = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(normIntoNeuronPool(norm, lif, pool, xx), g));
      let out: tf.Tensor[] = [];
      kernels = kernelsRun(() => {
        const y = normIntoNeuronPool(norm, lif, pool, x);
        const rate = (lif.lastFiringRate as tf.Tensor).clone();
        const stats = [norm.runningMean.clone(), norm.runningVar.clone()];
        const dx = tf.grad(loss)(x);
        const { grads } = tf.variableGrads(() => loss(x), [norm.lambda, norm.beta]);
        out = [y, dx, grads[norm.lambda.name] as tf.Tensor, grads[norm.beta.name] as tf.Tensor, ...stats, rate];
      });
      norm.dispose();
      lif.dispose();
      return out;
    });
    return { values, kernels };
  }

  it('gives the composition\'s output, gradients, running statistics and firing rate; spike recording composes', () => {
    const x = rand([4, 3, 8, 12, 16], 31, -1.5, 2.5);
    const fused = blockRun(x, false, 2);
    const composed = blockRun(x, true, 2);
    expect(fused.kernels).to.include('DeepSpikeTdBNLIFAvgPool').and.not.include('AvgPool');
    expect(composed.kernels).to.include('AvgPool').and.not.include('DeepSpikeTdBNLIFAvgPool');
    expect(mismatches(fused.values[0]!, composed.values[0]!), 'pooled output').to.equal(0);
    ['dx', 'dLambda', 'dBeta'].forEach((name, i) => expect(closeness(fused.values[1 + i]!, composed.values[1 + i]!, 1e-5, 1e-4), name).to.be.at.most(1));
    ['runningMean', 'runningVar'].forEach((name, i) => expect(closeness(fused.values[4 + i]!, composed.values[4 + i]!, 1e-7, 1e-6), name).to.be.at.most(1));
    expect(fused.values[6]![0]).to.be.closeTo(composed.values[6]![0] as number, 1e-7);
    expect(fused.values[6]![0]).to.be.greaterThan(0);
    x.dispose();
  });

  it('composes a pool that does not tile the image (7 rows, windows of 2)', () => {
    const x = rand([2, 2, 7, 8, 4], 32, -1.5, 2.5);
    expect(blockRun(x, false, 2).kernels).to.include('AvgPool').and.not.include('DeepSpikeTdBNLIFAvgPool');
    x.dispose();
  });
});
