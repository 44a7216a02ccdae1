import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { initBackend, isNeuronFusableNorm, Layer, LIF, normIntoNeuron, type NeuronLayer } from '@deepspike/core';

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
