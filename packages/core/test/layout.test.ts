import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, assertChannelsLast, initBackend, mergeTime, repeatOverTime, splitTime } from '@deepspike/core';

describe('sequence layout', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('merges and splits time without moving data', () => {
    const x = tf.reshape(tf.range(0, 2 * 3 * 4), [2, 3, 4]);
    const m = mergeTime(x);
    expect(m.shape).to.deep.equal([6, 4]);
    expect(Array.from(m.dataSync())).to.deep.equal(Array.from(x.dataSync()));
    const s = splitTime(m, 2);
    expect(s.shape).to.deep.equal([2, 3, 4]);
    expect(s.arraySync()).to.deep.equal(x.arraySync());
  });

  it('repeats a static input over time', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const r = repeatOverTime(x, 3);
    expect(r.shape).to.deep.equal([3, 2, 2]);
    expect(r.arraySync()).to.deep.equal([x.arraySync(), x.arraySync(), x.arraySync()]);
  });

  it('refuses a T that does not divide the merged axis', () => {
    expect(() => splitTime(tf.zeros([5, 2]), 2)).to.throw(
      InvalidArgumentError,
      'splitTime: x has a first axis of 5 not divisible by T=2, got shape [5, 2]; expected a first axis of T*N. Pass the T the tensor was merged with.',
    );
  });

  it('recognises a channels-first input and says how to transpose it', () => {
    const nchw = tf.zeros([4, 2, 3, 8, 8]);
    expect(() => assertChannelsLast(nchw, 3, 'conv "c1"')).to.throw(
      InvalidArgumentError,
      'conv "c1": x has 8 channels on the last axis, got shape [4, 2, 3, 8, 8]; expected 3 channels last ([T, N, H, W, C]). ' +
        'The input looks channels-first ([T, N, C, H, W]); transpose it with tf.transpose(x, [0, 1, 3, 4, 2]).',
    );
    expect(() => assertChannelsLast(tf.zeros([2, 8, 8, 3]), 3, 'conv "c1"')).to.throw(InvalidArgumentError, /has rank 4/);
  });
});
