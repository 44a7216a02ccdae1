import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, InvalidArgumentError, registry, installPlugin } from '@deepspike/core';
import { countCorrect, deepspikePlugin, trainMessages } from '@deepspike/train';

const ln = Math.log;
const E = Math.exp;

describe('losses', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    installPlugin(deepspikePlugin);
  });

  it('rate-ce on [N, C] logits equals the hand-computed cross-entropy', () => {
    const loss = registry.get('loss', 'rate-ce').create();
    const out = tf.tensor2d([[1, 2, 3], [1, 0, 0]]);
    const y = tf.tensor1d([2, 0], 'int32');
    const v = loss.compute(out, y).dataSync()[0] as number;
    const expected = (-(3 - ln(E(1) + E(2) + E(3))) - (1 - ln(E(1) + 2))) / 2;
    expect(v).to.be.closeTo(expected, 1e-6);
    tf.dispose([out, y]);
  });

  it('rate-ce on [T, N, C] averages over T before the cross-entropy', () => {
    const loss = registry.get('loss', 'rate-ce').create();
    // mean over T of [[0,2,4]] and [[2,2,2]] is [[1,2,3]]
    const out = tf.tensor3d([[[0, 2, 4]], [[2, 2, 2]]]);
    const y = tf.tensor1d([1], 'int32');
    expect(loss.compute(out, y).dataSync()[0]).to.be.closeTo(-(2 - ln(E(1) + E(2) + E(3))), 1e-6);
    tf.dispose([out, y]);
  });

  it('rate-mse is the mean squared error between the rate and the one-hot label', () => {
    const loss = registry.get('loss', 'rate-mse').create();
    // rates over T=2: [[0.5,0.25,1],[0,0,0.75]]
    const out = tf.tensor3d([[[1, 0.5, 1], [0, 0, 1]], [[0, 0, 1], [0, 0, 0.5]]]);
    const y = tf.tensor1d([2, 0], 'int32');
    // (0.25 + 0.0625 + 0 + 1 + 0 + 0.5625) / 6
    expect(loss.compute(out, y).dataSync()[0]).to.be.closeTo(0.3125, 1e-7);
    tf.dispose([out, y]);
  });

  it('tet is (1-λ)·mean_t CE(o[t], y) + λ·MSE(o, φ)', () => {
    const loss = registry.get('loss', 'tet').create({ lambda: 0.1, means: 1 });
    const out = tf.tensor3d([[[1, 2, 3]], [[0, 0, 1]]]);
    const y = tf.tensor1d([2], 'int32');
    const ce0 = ln(E(1) + E(2) + E(3)) - 3;
    const ce1 = ln(2 + E(1)) - 1;
    const mse = (0 + 1 + 4 + 1 + 1 + 0) / 6;
    expect(loss.compute(out, y).dataSync()[0]).to.be.closeTo(0.9 * ((ce0 + ce1) / 2) + 0.1 * mse, 1e-6);
    tf.dispose([out, y]);
  });

  it('tet refuses [N, C] outputs, saying to use per-step outputs', () => {
    const loss = registry.get('loss', 'tet').create();
    const out = tf.tensor2d([[1, 2]]);
    const y = tf.tensor1d([0], 'int32');
    expect(() => loss.compute(out, y)).to.throw(InvalidArgumentError, trainMessages.tetRank([1, 2]));
    tf.dispose([out, y]);
  });

  it('refuses labels of the wrong length or dtype', () => {
    const loss = registry.get('loss', 'rate-ce').create();
    const out = tf.tensor2d([[1, 2], [3, 4]]);
    const y3 = tf.tensor1d([0, 1, 1], 'int32');
    const yf = tf.tensor1d([0, 1], 'float32');
    expect(() => loss.compute(out, y3)).to.throw(trainMessages.lossLabels('rate-ce', [3], 2));
    expect(() => loss.compute(out, yf)).to.throw(trainMessages.lossLabelsDtype('rate-ce', 'float32'));
    tf.dispose([out, y3, yf]);
  });

  it('counts correct predictions on the time-averaged scores', () => {
    const out = tf.tensor3d([[[1, 0], [0, 1], [3, 0]], [[1, 0], [0, 1], [0, 4]]]);
    const y = tf.tensor1d([0, 0, 1], 'int32');
    // averaged: [1,0] -> 0 ok, [0,1] -> 1 wrong, [1.5,2] -> 1 ok
    expect(countCorrect(out, y)).to.equal(2);
    tf.dispose([out, y]);
  });

  it('does not leak tensors', () => {
    const loss = registry.get('loss', 'tet').create();
    const out = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 3);
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    const before = tf.memory().numTensors;
    loss.compute(out, y).dispose();
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([out, y]);
  });
});
