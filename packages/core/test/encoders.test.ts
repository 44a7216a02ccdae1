import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { copiesOverTime, directEncoder, encodeInputOnce, initBackend, latencyEncoder, poissonEncoder } from '@deepspike/core';

describe('encoders', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('direct repeats the input', () => {
    const x = tf.tensor2d([[0.25, 0.5]]);
    expect(directEncoder().encode(x, 2).arraySync()).to.deep.equal([[[0.25, 0.5]], [[0.25, 0.5]]]);
  });

  it('direct encodes once as the one step it repeats; encodeInputOnce uses it, other encoders and T = 1 encode over T', () => {
    const x = tf.tensor2d([[0.25, 0.5]]);
    expect(directEncoder().encodeOnce?.(x).arraySync()).to.deep.equal([[[0.25, 0.5]]]);
    expect(encodeInputOnce(x, directEncoder(), 3, [2], 'm').shape).to.deep.equal([1, 1, 2]);
    expect(encodeInputOnce(x, directEncoder(), 1, [2], 'm').shape).to.deep.equal([1, 1, 2]);
    expect(encodeInputOnce(x, poissonEncoder({ seed: 1 }), 3, [2], 'm').shape).to.deep.equal([3, 1, 2]);
    expect(() => encodeInputOnce(tf.zeros([1, 3]), directEncoder(), 3, [2], 'm')).to.throw(/m/);
  });

  it('copiesOverTime gives the T copies and sums their gradient over T (at rank 5, where Tile has none)', () => {
    const x = tf.tensor5d([1, 2, 3, 4], [1, 1, 2, 2, 1]);
    const copies = copiesOverTime(x, 3);
    expect(copies.shape).to.deep.equal([3, 1, 2, 2, 1]);
    expect(Array.from(copies.dataSync())).to.deep.equal([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    const w = tf.tensor5d([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 10], [3, 1, 2, 2, 1]);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(copiesOverTime(v, 3), w)))(x);
    expect(Array.from(dx.dataSync())).to.deep.equal([6, 6, 6, 13]);
    expect(() => copiesOverTime(copies, 3)).to.throw(/one-step sequence \[1, N, \.\.\.\].*got x \[3, 1, 2, 2, 1\]/);
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
