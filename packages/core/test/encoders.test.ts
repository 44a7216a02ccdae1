import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { directEncoder, initBackend, latencyEncoder, poissonEncoder } from '@deepspike/core';

describe('encoders', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('direct repeats the input', () => {
    const x = tf.tensor2d([[0.25, 0.5]]);
    expect(directEncoder().encode(x, 2).arraySync()).to.deep.equal([[[0.25, 0.5]], [[0.25, 0.5]]]);
  });

  it('latency fires once, brighter earlier, and never at or below the threshold', () => {
    const x = tf.tensor2d([[1, 0.5, 0, 0.9]]);
    const s = latencyEncoder().encode(x, 5).arraySync() as number[][][];
    // steps: round((1-x)*4) = 0, 2, (never), round(0.4)=0
    expect(s.map((t) => t[0])).to.deep.equal([
      [1, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('poisson spikes at the input rate and repeats under a seed', () => {
    const x = tf.fill([1, 2000], 0.3);
    const a = poissonEncoder({ seed: 4 }).encode(x, 10);
    const b = poissonEncoder({ seed: 4 }).encode(x, 10);
    expect(Array.from(a.dataSync())).to.deep.equal(Array.from(b.dataSync()));
    const rate = tf.mean(a).dataSync()[0] as number;
    expect(rate).to.be.closeTo(0.3, 0.01); // 20,000 Bernoulli(0.3): sd 0.0032
    const ones = poissonEncoder({ seed: 1 }).encode(tf.tensor2d([[0, 1]]), 8);
    expect(Array.from(tf.sum(ones, 0).dataSync())).to.deep.equal([0, 8]);
  });
});
