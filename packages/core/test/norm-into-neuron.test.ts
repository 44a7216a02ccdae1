import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { initBackend, isNeuronFusableNorm, Layer, LIF, normIntoNeuron, normIntoNeuronPool, Pool, tilingAvgPoolSize, type NeuronLayer } from '@deepspike/core';

/** y = 2x: a norm without a fused path. */
class Doubling extends Layer {
  forward(x: Tensor): Tensor {
    return tf.mul(x, 2);
  }
}

/** A norm offering a "fused" path that records what it was given and answers with fixed spikes. */
class Fusing extends Doubling {
  calls: Array<{ neuron: NeuronLayer; residual: Tensor | null }> = [];
  constructor(private readonly answer: boolean) {
    super('fusing');
  }
  forwardIntoNeuron(x: Tensor, neuron: NeuronLayer, residual: Tensor | null): Tensor | null {
    this.calls.push({ neuron, residual });
    return this.answer ? neuron.forwardFused(x, (h) => tf.onesLike(h)) : null;
  }
}

describe('normIntoNeuron', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });
  const x = (): Tensor => tf.tensor([0.1, 0.3, 0.2, -0.4, 0.5, 0.05], [2, 1, 3]);
  const r = (): Tensor => tf.tensor([0.2, 0, 0.1, 0.2, 0, 0.4], [2, 1, 3]);

  it('composes neuron(norm(x) + residual) when the norm has no fused path', () => {
    const norm = new Doubling('norm');
    expect(isNeuronFusableNorm(norm)).to.equal(false);
    const lif = new LIF('lif');
    const composed = lif.forward(tf.add(norm.forward(x()), r()));
    expect(Array.from(normIntoNeuron(norm, lif, x(), r()).dataSync())).to.deep.equal(Array.from(composed.dataSync()));
    expect(Array.from(normIntoNeuron(null, lif, x(), r()).dataSync())).to.deep.equal(Array.from(lif.forward(tf.add(x(), r())).dataSync()));
  });

  it('takes the fused path a norm offers, with the neuron and residual, and keeps the neuron monitors', () => {
    const norm = new Fusing(true);
    expect(isNeuronFusableNorm(norm)).to.equal(true);
    const lif = new LIF('lif');
    lif.recordRates = true;
    const residual = r();
    const y = normIntoNeuron(norm, lif, x(), residual);
    expect(Array.from(y.dataSync())).to.deep.equal([1, 1, 1, 1, 1, 1]);
    expect(norm.calls).to.have.length(1);
    expect(norm.calls[0]!.neuron).to.equal(lif);
    expect(norm.calls[0]!.residual).to.equal(residual);
    expect(lif.lastFiringRate!.dataSync()[0]).to.equal(1);
  });

  it('falls back to composing when the norm declines (returns null)', () => {
    const norm = new Fusing(false);
    const lif = new LIF('lif');
    const y = normIntoNeuron(norm, lif, x());
    expect(norm.calls).to.have.length(1);
    expect(Array.from(y.dataSync())).to.deep.equal(Array.from(lif.forward(norm.forward(x())).dataSync()));
  });

  it('forwardFused checks the sequence like forward', () => {
    expect(() => new LIF('lif').forwardFused(tf.zeros([3]), (h) => h)).to.throw(/LIF "lif"\.forward/);
  });
});

/** A norm offering the pooled fused path: records the window size it was asked for, answers with a fixed output. */
class PoolFusing extends Doubling {
  sizes: number[] = [];
  constructor() {
    super('pool-fusing');
  }
  forwardIntoNeuron(): Tensor | null {
    return null;
  }
  forwardIntoNeuronPool(x: Tensor, neuron: NeuronLayer, size: number): Tensor | null {
    this.sizes.push(size);
    const [t, n, h, w, c] = x.shape as number[];
    return neuron.forwardFused(x, () => tf.fill([t!, n!, h! / size, w! / size, c!], 0.25));
  }
}

describe('normIntoNeuronPool', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });
  const x = (h = 4, w = 6): Tensor => tf.randomUniform([2, 1, h, w, 3], -1, 2, 'float32', 3);

  it('tilingAvgPoolSize: square average windows at stride = size, no padding, dividing H and W', () => {
    const avg = (o: Partial<ConstructorParameters<typeof Pool>[1]>) => new Pool('p', { size: 2, ...o });
    expect(tilingAvgPoolSize(avg({}), x())).to.equal(2);
    expect(tilingAvgPoolSize(avg({ size: 3 }), x(6, 9))).to.equal(3);
    expect(tilingAvgPoolSize(avg({ size: 3 }), x()), 'H = 4 not a multiple of 3').to.equal(null);
    expect(tilingAvgPoolSize(avg({ mode: 'max' }), x())).to.equal(null);
    expect(tilingAvgPoolSize(avg({ mode: 'sum' }), x())).to.equal(null);
    expect(tilingAvgPoolSize(avg({ stride: 1 }), x())).to.equal(null);
    expect(tilingAvgPoolSize(avg({ size: [2, 3] }), x())).to.equal(null);
    expect(tilingAvgPoolSize(avg({ padding: 'same' }), x())).to.equal(null);
    expect(tilingAvgPoolSize(new Doubling('d'), x())).to.equal(null);
  });

  it('takes the pooled fused path a norm offers (with the window size) and records the rate of its output', () => {
    const norm = new PoolFusing();
    const lif = new LIF('lif');
    lif.recordRates = true;
    const y = normIntoNeuronPool(norm, lif, new Pool('p', { size: 2 }), x());
    expect(norm.sizes).to.deep.equal([2]);
    expect(y.shape).to.deep.equal([2, 1, 2, 3, 3]);
    expect(lif.lastFiringRate!.dataSync()[0]).to.equal(0.25);
  });

  it('composes pool(neuron(norm(x))) for a norm without it, a pool it cannot fuse, or a neuron recording its spikes', () => {
    const lif = new LIF('lif');
    const pool = new Pool('p', { size: 2 });
    const plain = new Doubling('norm');
    const composed = (p: Pool, xx: Tensor) => Array.from(p.forward(lif.forward(plain.forward(xx))).dataSync());
    expect(Array.from(normIntoNeuronPool(plain, lif, pool, x()).dataSync())).to.deep.equal(composed(pool, x()));
    const fusing = new PoolFusing();
    const max = new Pool('m', { size: 2, mode: 'max' });
    normIntoNeuronPool(fusing, lif, max, x());
    lif.recordSpikes = true;
    normIntoNeuronPool(fusing, lif, pool, x());
    expect(fusing.sizes, 'never asked').to.deep.equal([]);
    expect(lif.lastSpikes!.shape, 'the unpooled spikes recorded').to.deep.equal([2, 1, 4, 6, 3]);
  });
});
