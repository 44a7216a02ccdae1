import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { BasicBlock, deepspikePlugin as corePlugin, IF, initBackend, installPlugin, LIF, normIntoNeuron, Registry, stbpRectangle } from '@deepspike/core';
import { deepspikePlugin, hasFusedTdbnLif, TdBN, TemporalEffectiveBN, tdbnLifPath, tdbnLifWithStats, TDBN_ADD_LIF_KERNEL, TDBN_LIF_KERNEL } from '@deepspike/tdbn';
import { randnTensor, useBackend } from './helpers.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

function mismatchCount(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.cast(tf.notEqual(a, b), 'float32')).dataSync()[0] as number);
}

/** Counts the runs of the named kernels while `fn` runs. */
function kernelRuns(names: string[], fn: () => void): number {
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const runKernel = engine.runKernel;
  let runs = 0;
  engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) {
    if (names.includes(name)) runs++;
    return runKernel.call(this, name, ...rest);
  };
  try {
    fn();
  } finally {
    engine.runKernel = runKernel;
  }
  return runs;
}

/** The three tdBN+LIF paths on the active backend, each against the composition. */
function comparePaths(withResidual: boolean, paths: ReadonlyArray<'auto' | 'custom-gradient'>, expectFusedRuns: boolean): void {
  const x = randnTensor([3, 4, 5, 5, 6], 1, 0.3, 1.2);
  const r = withResidual ? randnTensor([3, 4, 5, 5, 6], 2, 0, 0.4) : null;
  const lambda = tf.add(1, tf.mul(0.2, randnTensor([6], 3)));
  const beta = tf.mul(0.1, randnTensor([6], 4));
  const g = randnTensor([3, 4, 5, 5, 6], 5);
  const neuron = { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1) };
  const run = (implementation: 'auto' | 'custom-gradient' | 'composite'): tf.Tensor[] => {
    const norm = (l: tf.Tensor, b: tf.Tensor) => ({ alpha: Math.SQRT1_2, vth: 0.5, lambda: l, beta: b, epsilon: 1e-5, implementation });
    const f = (xx: tf.Tensor, l: tf.Tensor, b: tf.Tensor, rr?: tf.Tensor): tf.Tensor => {
      const o = tdbnLifWithStats(xx, norm(l, b), neuron, rr ?? null);
      return tf.sum(tf.mul(o.spikes, g));
    };
    const o = tdbnLifWithStats(x, norm(lambda, beta), neuron, r);
    const grads = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)(r ? [x, lambda, beta, r] : [x, lambda, beta]);
    return [o.spikes, o.mean, o.variance, ...grads];
  };
  const composite = run('composite');
  for (const path of paths) {
    let fused: tf.Tensor[] = [];
    const runs = kernelRuns([TDBN_LIF_KERNEL, TDBN_ADD_LIF_KERNEL], () => (fused = run(path)));
    if (expectFusedRuns && path === 'auto') expect(runs, 'fused kernel runs').to.be.greaterThan(0);
    else expect(runs, `${path}: fused kernel runs`).to.equal(0);
    expect(mismatchCount(fused[0]!, composite[0]!), `${path}: spikes`).to.equal(0);
    expect(tf.tidy(() => tf.mean(fused[0]!).dataSync()[0] as number)).to.be.within(0.05, 0.6);
    expect(maxAbsDiff(fused[1]!, composite[1]!), `${path}: mean`).to.be.below(1e-6);
    expect(maxAbsDiff(fused[2]!, composite[2]!), `${path}: variance`).to.be.below(1e-5);
    for (let i = 3; i < fused.length; i++) {
      const scale = tf.tidy(() => tf.max(tf.abs(composite[i]!)).dataSync()[0] as number);
      expect(scale, `gradient ${i - 3} is not zero`).to.be.greaterThan(0);
      expect(maxAbsDiff(fused[i]!, composite[i]!), `${path}: gradient ${i - 3}`).to.be.below(1e-4 * Math.max(1, scale));
    }
    tf.dispose(fused);
  }
  tf.dispose([x, lambda, beta, g, ...(r ? [r] : []), ...composite]);
}

describe('tdBN fused into the LIF it feeds (cpu kernels)', () => {
  before(() => useBackend('cpu'));

  it('the cpu backend has the fused kernels', () => {
    expect(hasFusedTdbnLif('cpu')).to.equal(true);
  });

  for (const withResidual of [false, true]) {
    it(`tdbnLifWithStats${withResidual ? ' with a residual' : ''} equals tdbnWithStats then lif (values, statistics, gradients), fused and as a custom gradient`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => comparePaths(withResidual, ['auto', 'custom-gradient'], true));
      expect(tf.memory().numTensors, 'tensor leak (a kept tensor escapes tidy)').to.equal(before);
    });
  }

  it('rejects a residual of another shape and a tau outside [0, 1)', () => {
    const x = randnTensor([2, 3, 4], 1);
    const norm = { alpha: 1, vth: 0.5, lambda: tf.ones([4]), beta: tf.zeros([4]) };
    const neuron = { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1) };
    expect(() => tdbnLifWithStats(x, norm, neuron, tf.zeros([2, 3, 5]))).to.throw(/residual has shape \[2, 3, 5\], got x \[2, 3, 4\]; expected the residual to have x's shape/);
    expect(() => tdbnLifWithStats(x, norm, { ...neuron, tau: 1 })).to.throw(/tau must be a number in \[0, 1\)/);
  });
});

describe('TdBN.forwardIntoNeuron (the layer path models and blocks take)', () => {
  before(() => useBackend('cpu'));

  function block(seed: number): BasicBlock {
    const registry = new Registry();
    installPlugin(corePlugin, registry);
    installPlugin(deepspikePlugin, registry);
    return new BasicBlock('block', {
      inChannels: 4, filters: 4, projection: false, norm: { kind: 'tdbn' },
      neuron: { kind: 'lif', options: { vth: 0.5, tau: 0.25 } }, registry, seed,
    });
  }

  it('a BasicBlock gives the same spikes, gradients, running statistics and firing rates fused and composed', () => {
    const fusedBlock = block(7);
    const composedBlock = block(7);
    for (const n of [composedBlock.norm1, composedBlock.norm2] as TdBN[]) n.forwardIntoNeuron = () => null;
    for (const b of [fusedBlock, composedBlock]) b.neuron2.recordRates = true;
    const x = tf.cast(tf.less(tf.randomUniform([3, 2, 6, 6, 4], 0, 1, 'float32', 3), 0.3), 'float32');
    const step = (b: BasicBlock) => {
      const vars = [...b.trainableParameters().values()];
      let out: tf.Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const y = b.forward(x);
        out = tf.keep(y);
        return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape))) as tf.Scalar;
      }, vars);
      value.dispose();
      return { out: out!, grads: vars.map((v) => grads[v.name]!) };
    };
    let fused!: ReturnType<typeof step>;
    const runs = kernelRuns([TDBN_LIF_KERNEL, TDBN_ADD_LIF_KERNEL], () => (fused = step(fusedBlock)));
    expect(runs, 'norm1 -> neuron1 and norm2 + shortcut -> neuron2 fused').to.equal(2);
    const composed = step(composedBlock);
    expect(mismatchCount(fused.out, composed.out)).to.equal(0);
    fused.grads.forEach((g, i) => expect(maxAbsDiff(g, composed.grads[i]!), `gradient ${i}`).to.be.below(1e-4));
    for (const name of ['norm1.runningMean', 'norm1.runningVar', 'norm2.runningMean', 'norm2.runningVar']) {
      expect(maxAbsDiff(fusedBlock.namedParameters().get(name)!, composedBlock.namedParameters().get(name)!), name).to.be.below(1e-6);
    }
    expect(fusedBlock.neuron2.lastFiringRate!.dataSync()[0]).to.equal(composedBlock.neuron2.lastFiringRate!.dataSync()[0]);
    fusedBlock.dispose();
    composedBlock.dispose();
  });

  it('declines (returns null) in inference mode, for another neuron, a composite LIF, and TEBN', () => {
    const x = randnTensor([2, 2, 3, 3, 4], 1);
    const tdbn = new TdBN('n', { channels: 4 });
    expect(tdbn.forwardIntoNeuron(x, new IF('if'), null)).to.equal(null);
    expect(tdbn.forwardIntoNeuron(x, new LIF('lif', { implementation: 'composite' }), null)).to.equal(null);
    const tebn = new TemporalEffectiveBN('t', { channels: 4, timesteps: 2 });
    expect(tebn.forwardIntoNeuron(x, new LIF('lif'), null)).to.equal(null);
    tdbn.setTraining(false);
    expect(tdbn.forwardIntoNeuron(x, new LIF('lif'), null)).to.equal(null);
    // normIntoNeuron then composes, with the same result as the two layers.
    const lif = new LIF('lif');
    const y = normIntoNeuron(tdbn, lif, x);
    expect(mismatchCount(y, lif.forward(tdbn.forward(x)))).to.equal(0);
  });
});

describe('tdBN into LIF on the tensorflow backend (where tfjs-node or tfjs-node-gpu loads)', () => {
  before(async function () {
    try {
      await initBackend('tensorflow', { log: () => {} });
    } catch (err) {
      console.log(`      skipped: ${(err as Error).message.split('. ')[0]}`);
      this.skip();
    }
  });
  after(() => useBackend('cpu'));

  for (const withResidual of [false, true]) {
    it(`auto takes the custom gradient, which equals the composition${withResidual ? ' (with a residual)' : ''}`, () => {
      expect(tdbnLifPath()).to.equal('custom-gradient');
      comparePaths(withResidual, ['auto', 'custom-gradient'], false);
    });
  }
});
