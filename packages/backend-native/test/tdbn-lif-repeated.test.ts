import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { copiesOverTime, LIF, normIntoNeuronPool, normIntoNeuron, normIntoNeuronRepeated, Pool, stbpRectangle, type Surrogate } from '@deepspike/core';
import { hasFusedTdbnLifRepeated, TdBN, tdbnLifPoolWithStats, tdbnLifRepeatedWithStats, tdbnLifWithStats } from '@deepspike/tdbn';
import { closeness, fusedOpRun, kernelsRun, mismatches, rand, setup, skipWithoutAddon, under } from './helpers.js';

const T = 4;

/** The sigmoid surrogate (a family the native code computes), as a registered one carries it. */
function sigmoidSurrogate(alpha: number): Surrogate {
  const derivative = (x: number) => { const s = 1 / (1 + Math.exp(-alpha * x)); return alpha * s * (1 - s); };
  return { name: 'sigmoid', params: { alpha }, primitive: (v: number) => (v >= 0 ? 1 : 0), derivative } as unknown as Surrogate;
}

/**
 * The outputs (spikes or pooled, mean, variance) and the gradients of sum(out * g) for x, lambda,
 * beta of one tdBN+LIF[+pool] step on x [1, N, ...]: `repeated` through tdbnLifRepeatedWithStats,
 * else on x's T copies made by hand (a broadcasting add) through the per-step ops.
 */
function runOn(x: tf.Tensor, k: number | null, surrogate: Surrogate, detachReset: boolean, repeated: boolean): tf.Tensor[] {
  const c = x.shape[x.rank - 1] as number;
  const neuron = { vth: 0.5, tau: 0.25, surrogate, detachReset };
  const outShape = k === null ? [T, ...x.shape.slice(1)] : [T, x.shape[1]!, x.shape[2]! / k, x.shape[3]! / k, c];
  return fusedOpRun(x, outShape, 'auto', (xx, norm) => {
    if (repeated) return tdbnLifRepeatedWithStats(xx, norm, neuron, T, k);
    const copies = tf.add(xx, tf.zeros([T, ...xx.shape.slice(1)]));
    if (k === null) return tdbnLifWithStats(copies, norm, neuron);
    const r = tdbnLifPoolWithStats(copies, norm, neuron, k);
    return { spikes: r.pooled, mean: r.mean, variance: r.variance };
  });
}

describe('native DeepSpikeTdBNLIFRepeated / DeepSpikeTdBNLIFRepeatedGrad (a direct encoding\'s first layer computed once)', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('is registered for deepspike-native only (cpu tiles)', () => {
    expect(hasFusedTdbnLifRepeated('deepspike-native')).to.equal(true);
    expect(hasFusedTdbnLifRepeated('cpu')).to.equal(false);
  });

  // With and without the pool; odd channel counts; rank 3; blocks that do and do not divide the rows.
  const cases: Array<[number[], number | null, Surrogate, boolean]> = [
    [[1, 3, 6, 6, 8], 2, stbpRectangle(1), false],
    [[1, 2, 9, 6, 5], 3, sigmoidSurrogate(4), false],
    [[1, 8, 28, 28, 32], 2, stbpRectangle(1), true],
    [[1, 4, 8, 8, 64], null, stbpRectangle(1), false],
    [[1, 3, 5, 7, 3], null, sigmoidSurrogate(4), true],
    [[1, 37, 7], null, stbpRectangle(0.5), false],
  ];
  for (const [shape, k, sur, detach] of cases) {
    it(`${shape.join('x')}, ${k === null ? 'no pool' : `pool ${k}`}, ${sur.name}${detach ? ', reset detached' : ''}: the copies' values bit for bit, their gradient summed over T within float32 rounding`, () => {
      const x = rand(shape, 1, -1.5, 2.5);
      let names: string[] = [];
      const fused = under('deepspike-native', () => {
        let out: tf.Tensor[] = [];
        names = kernelsRun(() => (out = runOn(x, k, sur, detach, true)));
        return out;
      });
      expect(names, 'the repeated kernels ran').to.include.members(['DeepSpikeTdBNLIFRepeated', 'DeepSpikeTdBNLIFRepeatedGrad']);
      expect(names, 'no copies through the per-step kernels').to.not.include('Tile').and.not.include('DeepSpikeTdBNLIF').and.not.include('DeepSpikeTdBNLIFAvgPool');
      const copies = under('deepspike-native', () => runOn(x, k, sur, detach, false));
      const cpu = under('cpu', () => runOn(x, k, sur, detach, true));
      for (const [name, other] of [['native copies', copies], ['cpu (tiles)', cpu]] as const) {
        expect(mismatches(fused[0]!, other[0]!), `output vs ${name}`).to.equal(0);
        expect(closeness(fused[1]!, other[1]!, 1e-7, 1e-6), `mean vs ${name}`).to.be.at.most(1);
        expect(closeness(fused[2]!, other[2]!, 1e-7, 1e-6), `variance vs ${name}`).to.be.at.most(1);
        ['dx', 'dLambda', 'dBeta'].forEach((g, i) => expect(closeness(fused[3 + i]!, other[3 + i]!, 1e-5, 1e-4), `${g} vs ${name}`).to.be.at.most(1));
      }
      expect(fused[3]!.length, 'dx has the one step\'s shape').to.equal(x.size);
      expect(fused[3]!.some((v) => v !== 0)).to.equal(true);
      expect(fused[0]!.some((v) => v !== 0)).to.equal(true);
      x.dispose();
    });
  }

  it('tiles where it cannot fuse (a surrogate outside TDBN_LIF_POOL_SURROGATES) and refuses an x of more than one step', () => {
    const x = rand([1, 2, 6, 6, 4], 5, -1.5, 2.5);
    const lambda = tf.ones([4]);
    const beta = tf.zeros([4]);
    const norm = { alpha: 1, vth: 0.5, lambda, beta };
    tf.setBackend('deepspike-native');
    try {
      const custom = { ...stbpRectangle(1), name: 'my-rect' } as Surrogate;
      const names = kernelsRun(() => tf.tidy(() => { tdbnLifRepeatedWithStats(x, norm, { vth: 0.5, tau: 0.25, surrogate: custom }, T, 2); }));
      expect(names).to.include('DeepSpikeTdBNLIF').and.not.include('DeepSpikeTdBNLIFRepeated');
      const two = tf.concat([x, x]);
      expect(() => tdbnLifRepeatedWithStats(two, norm, { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1) }, T))
        .to.throw(/must have shape \[1, N, H, W, C\] or \[1, N, C\], got x \[2, 2, 6, 6, 4\] with timesteps 4; expected T = 1/);
      expect(() => tdbnLifRepeatedWithStats(x, norm, { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1) }, 0)).to.throw(/timesteps 0/);
      two.dispose();
    } finally {
      tf.setBackend('cpu');
      tf.dispose([x, lambda, beta]);
    }
  });
});

describe('normIntoNeuronRepeated: TdBN -> LIF [-> average pool] layers on one step standing for T', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  /**
   * Output, dx, dLambda, dBeta, running statistics and the LIF's rate of the block on x [1, N, ...]:
   * `repeated` through normIntoNeuronRepeated, else on copiesOverTime(x) through normIntoNeuron[Pool].
   */
  function blockRun(backend: string, x: tf.Tensor, poolSize: number | null, repeated: boolean): { values: Float32Array[]; kernels: string[] } {
    const c = x.shape[x.rank - 1] as number;
    let kernels: string[] = [];
    const values = under(backend, () => {
      const norm = new TdBN('bn', { channels: c, alpha: 1, vth: 0.5 });
      const lif = new LIF('lif', { vth: 0.5, tau: 0.25 });
      const pool = poolSize === null ? null : new Pool('pool', { mode: 'avg', size: poolSize });
      lif.recordRates = true;
      const block = (xx: tf.Tensor): tf.Tensor => {
        if (repeated) return normIntoNeuronRepeated(norm, lif, xx, T, pool);
        const copies = copiesOverTime(xx, T);
        return pool ? normIntoNeuronPool(norm, lif, pool, copies) : normIntoNeuron(norm, lif, copies);
      };
      const outShape = poolSize === null ? [T, ...x.shape.slice(1)] : [T, x.shape[1]!, x.shape[2]! / poolSize, x.shape[3]! / poolSize, c];
      const g = rand(outShape, 21);
      const loss = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(block(xx), g));
      let out: tf.Tensor[] = [];
      kernels = kernelsRun(() => {
        const y = block(x);
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

  for (const [shape, k] of [[[1, 3, 8, 12, 16], 2], [[1, 3, 8, 12, 16], null], [[1, 6, 10], null]] as Array<[number[], number | null]>) {
    it(`${shape.join('x')}, ${k === null ? 'no pool' : `pool ${k}`}: the copies' output, gradients, running statistics and firing rate, on deepspike-native and cpu`, () => {
      const x = rand(shape, 31, -1.5, 2.5);
      const fused = blockRun('deepspike-native', x, k, true);
      expect(fused.kernels).to.include('DeepSpikeTdBNLIFRepeated');
      for (const [name, other] of [['native copies', blockRun('deepspike-native', x, k, false)], ['cpu', blockRun('cpu', x, k, true)]] as const) {
        expect(mismatches(fused.values[0]!, other.values[0]!), `output vs ${name}`).to.equal(0);
        ['dx', 'dLambda', 'dBeta'].forEach((g, i) => expect(closeness(fused.values[1 + i]!, other.values[1 + i]!, 1e-5, 1e-4), `${g} vs ${name}`).to.be.at.most(1));
        ['runningMean', 'runningVar'].forEach((g, i) => expect(closeness(fused.values[4 + i]!, other.values[4 + i]!, 1e-7, 1e-6), `${g} vs ${name}`).to.be.at.most(1));
        expect(fused.values[6]![0], `rate vs ${name}`).to.be.closeTo(other.values[6]![0] as number, 1e-7);
      }
      expect(fused.values[1]!.length, 'dx of the one step').to.equal(x.size);
      expect(fused.values[6]![0]).to.be.greaterThan(0);
      x.dispose();
    });
  }

  it('x [T, N, ...] runs as normIntoNeuron does; a pool that does not tile, or recorded spikes, make the copies', () => {
    const x = rand([1, 2, 7, 8, 4], 32, -1.5, 2.5);
    const seq = rand([T, 2, 8, 8, 4], 33, -1.5, 2.5);
    tf.setBackend('deepspike-native');
    try {
      const norm = new TdBN('bn', { channels: 4, alpha: 1, vth: 0.5 });
      const lif = new LIF('lif', { vth: 0.5, tau: 0.25 });
      const pool = new Pool('pool', { mode: 'avg', size: 2 });
      expect(kernelsRun(() => tf.tidy(() => { normIntoNeuronRepeated(norm, lif, seq, T, pool); }))).to.include('DeepSpikeTdBNLIFAvgPool').and.not.include('DeepSpikeTdBNLIFRepeated');
      expect(kernelsRun(() => tf.tidy(() => { normIntoNeuronRepeated(norm, lif, x, T, pool); }))).to.include('AvgPool').and.not.include('DeepSpikeTdBNLIFRepeated');
      lif.recordSpikes = true;
      const even = tf.slice(x, [0, 0, 0, 0, 0], [1, 2, 6, 8, 4]);
      expect(kernelsRun(() => tf.tidy(() => { normIntoNeuronRepeated(norm, lif, even, T, pool); }))).to.include('AvgPool').and.not.include('DeepSpikeTdBNLIFRepeated');
      expect((lif.lastSpikes as tf.Tensor).shape).to.deep.equal([T, 2, 6, 8, 4]);
      tf.dispose([even]);
      norm.dispose();
      lif.dispose();
    } finally {
      tf.setBackend('cpu');
      tf.dispose([x, seq]);
    }
  });
});
