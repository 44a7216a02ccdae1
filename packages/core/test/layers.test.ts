import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import {
  Conv2d,
  Dropout,
  Flatten,
  GlobalAvgPool,
  InvalidArgumentError,
  Linear,
  Pool,
  Readout,
  Sequential,
  deriveSeed,
  initBackend,
  outputSize,
} from '@deepspike/core';
import { expectClose } from '@deepspike/core/testing';

/** Deterministic pseudo-random values in [-1, 1) (no tf RNG involved). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

describe('layers: stateless', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('Conv2d computes a hand-worked 2x2 convolution with bias, valid padding', () => {
    const conv = new Conv2d('c', { inChannels: 1, filters: 1, kernel: 2, padding: 'valid' });
    conv.kernel.assign(tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]));
    conv.bias?.assign(tf.tensor1d([0.5]));
    // x[t=0,n=0] = [[1,2,3],[4,5,6],[7,8,9]]; y[0,0] = 1*1+2*2+4*3+5*4 + 0.5 = 37.5
    const x = tf.tensor5d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3, 1]);
    const y = conv.forward(x);
    expect(y.shape).to.deep.equal([1, 1, 2, 2, 1]);
    expect(Array.from(y.dataSync())).to.deep.equal([37.5, 47.5, 67.5, 77.5]);
  });

  it('Conv2d on a sequence equals tf.conv2d on the merged [T*N, H, W, C] view, for every padding', () => {
    for (const padding of ['same', 'valid', 1, 2] as const) {
      const conv = new Conv2d('c', { inChannels: 3, filters: 4, kernel: 3, stride: 2, padding, seed: 7 });
      const x = tf.tensor5d(values(2 * 3 * 7 * 7 * 3, 1), [2, 3, 7, 7, 3]);
      const y = conv.forward(x);
      const pad = typeof padding === 'number' ? ([[0, 0], [padding, padding], [padding, padding], [0, 0]] as tf.backend_util.ExplicitPadding) : padding;
      const ref = tf.add(tf.conv2d(tf.reshape(x, [6, 7, 7, 3]) as tf.Tensor4D, conv.kernel as unknown as tf.Tensor4D, 2, pad), conv.bias as tf.Tensor);
      const h = outputSize(7, 3, 2, padding);
      expect(y.shape).to.deep.equal([2, 3, h, h, 4]);
      expectClose(y.dataSync(), ref.dataSync(), {}, `padding ${padding}`);
    }
  });

  it('Conv2d initialises like PyTorch (U(-1/sqrt(fanIn), 1/sqrt(fanIn))), reproducibly under a seed', () => {
    const a = new Conv2d('c', { inChannels: 16, filters: 32, kernel: 3, seed: 3 });
    const b = new Conv2d('c', { inChannels: 16, filters: 32, kernel: 3, seed: 3 });
    const c = new Conv2d('c', { inChannels: 16, filters: 32, kernel: 3, seed: 4 });
    const w = Array.from(a.kernel.dataSync());
    const bound = 1 / Math.sqrt(3 * 3 * 16);
    expect(Math.max(...w.map(Math.abs))).to.be.at.most(bound);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).to.be.closeTo((bound * bound) / 3, 0.1 * ((bound * bound) / 3)); // 4,608 draws
    expect(Array.from(b.kernel.dataSync())).to.deep.equal(w);
    expect(Array.from(c.kernel.dataSync())).to.not.deep.equal(w);
    expect(Math.max(...Array.from(a.bias?.dataSync() ?? []).map(Math.abs))).to.be.at.most(bound);
    expect([...a.namedParameters().keys()]).to.deep.equal(['kernel', 'bias']);
    expect([...new Conv2d('c', { inChannels: 1, filters: 1, kernel: 1, bias: false }).namedParameters().keys()]).to.deep.equal(['kernel']);
  });

  it('deriveSeed depends on seed and path only', () => {
    expect(deriveSeed(1, 'conv1')).to.equal(deriveSeed(1, 'conv1'));
    expect(deriveSeed(1, 'conv1')).to.not.equal(deriveSeed(1, 'conv2'));
    expect(deriveSeed(1, 'conv1')).to.not.equal(deriveSeed(2, 'conv1'));
    expect(deriveSeed(1, 'conv1')).to.be.within(0, 2 ** 31 - 1);
  });

  it('Linear computes x·W + b on the last axis of [T, N, in]', () => {
    const lin = new Linear('fc', { inFeatures: 2, units: 3 });
    lin.kernel.assign(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]));
    lin.bias?.assign(tf.tensor1d([0.1, 0.2, 0.3]));
    const x = tf.tensor3d([1, 1, 2, -1], [2, 1, 2]);
    const y = lin.forward(x);
    expect(y.shape).to.deep.equal([2, 1, 3]);
    expectClose(y.dataSync(), [5.1, 7.2, 9.3, -1.9, -0.8, 0.3]);
    const bound = 1 / Math.sqrt(300);
    const big = new Linear('fc', { inFeatures: 300, units: 20, seed: 1 });
    expect(Math.max(...Array.from(big.kernel.dataSync()).map(Math.abs))).to.be.at.most(bound);
  });

  it('Pool avg / max / sum on a hand-worked 4x4 map', () => {
    const x = tf.tensor5d(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
      [1, 1, 4, 4, 1],
    );
    expect(Array.from(new Pool('p', { mode: 'avg', size: 2 }).forward(x).dataSync())).to.deep.equal([3.5, 5.5, 11.5, 13.5]);
    expect(Array.from(new Pool('p', { mode: 'max', size: 2 }).forward(x).dataSync())).to.deep.equal([6, 8, 14, 16]);
    expect(Array.from(new Pool('p', { mode: 'sum', size: 2 }).forward(x).dataSync())).to.deep.equal([14, 22, 46, 54]);
    // 3x3 window, stride 1: top-left sum 1+2+3+5+6+7+9+10+11 = 54
    expect(Array.from(new Pool('p', { mode: 'sum', size: 3, stride: 1 }).forward(x).dataSync())).to.deep.equal([54, 63, 90, 99]);
    // max with padding 1, size 3, stride 2: windows centred on (0,0),(0,2),(2,0),(2,2)
    expect(Array.from(new Pool('p', { mode: 'max', size: 3, stride: 2, padding: 1 }).forward(x).dataSync())).to.deep.equal([6, 8, 14, 16]);
  });

  it('Pool keeps time and channels apart', () => {
    const x = tf.tensor5d(values(2 * 3 * 4 * 4 * 5, 9), [2, 3, 4, 4, 5]);
    const y = new Pool('p', { mode: 'avg', size: 2 }).forward(x);
    const ref = tf.reshape(tf.avgPool(tf.reshape(x, [6, 4, 4, 5]) as tf.Tensor4D, 2, 2, 'valid'), [2, 3, 2, 2, 5]);
    expectClose(y.dataSync(), ref.dataSync());
  });

  it('GlobalAvgPool means over H, W; Flatten keeps [T, N] and channels-last order', () => {
    const x = tf.tensor5d([1, 10, 2, 20, 3, 30, 4, 40], [1, 1, 2, 2, 2]);
    expect(Array.from(new GlobalAvgPool('g').forward(x).dataSync())).to.deep.equal([2.5, 25]);
    expect(new GlobalAvgPool('g').forward(x).shape).to.deep.equal([1, 1, 2]);
    const f = new Flatten('f').forward(x);
    expect(f.shape).to.deep.equal([1, 1, 8]);
    expect(Array.from(f.dataSync())).to.deep.equal([1, 10, 2, 20, 3, 30, 4, 40]);
  });

  it('Dropout shares one mask over T, scales by 1/(1-p), repeats under a seed, and is the identity in inference', () => {
    const x = tf.ones([4, 2, 500]);
    const d = new Dropout('d', { rate: 0.25, seed: 5 });
    const y = d.forward(x).arraySync() as number[][][];
    for (let t = 1; t < 4; t++) expect(y[t]).to.deep.equal(y[0]);
    const flat = (y[0] ?? []).flat();
    expect(new Set(flat)).to.deep.equal(new Set([0, 1 / 0.75].map(Math.fround)));
    const kept = flat.filter((v) => v > 0).length / flat.length;
    expect(kept).to.be.closeTo(0.75, 0.04); // 1,000 draws: sd 0.014
    const again = new Dropout('d', { rate: 0.25, seed: 5 }).forward(x);
    expect(Array.from(again.dataSync())).to.deep.equal(y.flat(2));
    const second = d.forward(x); // the next call draws a new mask
    expect(Array.from(second.dataSync())).to.not.deep.equal(y.flat(2));
    d.setTraining(false);
    expect(d.forward(x)).to.equal(x);
  });

  it('Sequential chains children and names parameters <child>.<param>', () => {
    const seq = new Sequential('body', [
      new Conv2d('conv1', { inChannels: 1, filters: 2, kernel: 3, seed: 1 }),
      new Pool('pool1', { size: 2 }),
      new Flatten('flatten'),
      new Linear('fc', { inFeatures: 2 * 2 * 2, units: 3, seed: 2 }),
    ]);
    expect([...seq.namedParameters().keys()]).to.deep.equal(['conv1.kernel', 'conv1.bias', 'fc.kernel', 'fc.bias']);
    const x = tf.tensor5d(values(2 * 1 * 4 * 4, 3), [2, 1, 4, 4, 1]);
    const [c, p, f, l] = seq.layers as [Conv2d, Pool, Flatten, Linear];
    const ref = l.forward(f.forward(p.forward(c.forward(x))));
    expectClose(seq.forward(x).dataSync(), ref.dataSync());
  });

  it('Readout: membrane/rate are the mean over T, tet keeps the steps', () => {
    const y = tf.tensor3d([1, 2, 3, 6], [2, 1, 2]);
    expect(Array.from(new Readout('r', 'membrane').forward(y).dataSync())).to.deep.equal([2, 4]);
    expect(new Readout('r', 'tet').forward(y)).to.equal(y);
  });

  it('does not leak tensors', () => {
    const conv = new Conv2d('c', { inChannels: 2, filters: 2, kernel: 3, seed: 1 });
    const pool = new Pool('p', { mode: 'sum', size: 2 });
    const x = tf.ones([2, 1, 4, 4, 2]);
    const before = tf.memory().numTensors;
    const h = conv.forward(x);
    const y = pool.forward(h);
    expect(tf.memory().numTensors - before).to.equal(2);
    tf.dispose([h, y]);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('rejects bad options and inputs with house-format messages', () => {
    expect(() => new Conv2d('c', { inChannels: 1, filters: 0, kernel: 3 })).to.throw(
      InvalidArgumentError,
      'Conv2d "c": option "filters" must be a positive integer, got 0; expected an integer >= 1.',
    );
    expect(() => new Conv2d('c', { inChannels: 1, filters: 1, kernel: 3, padding: 'full' as 'same' })).to.throw(InvalidArgumentError, 'option "padding"');
    expect(() => new Dropout('d', { rate: 1 })).to.throw(InvalidArgumentError, 'Dropout "d": option "rate" must be in [0, 1), got 1');
    expect(() => new Pool('p', { mode: 'min' as 'max', size: 2 })).to.throw(InvalidArgumentError, 'option "mode"');
    const conv = new Conv2d('c', { inChannels: 3, filters: 1, kernel: 3 });
    expect(() => conv.forward(tf.zeros([1, 1, 3, 8, 8]))).to.throw(
      InvalidArgumentError,
      'Conv2d "c": x has 8 channels on the last axis, got shape [1, 1, 3, 8, 8]; expected 3.',
    );
    expect(() => conv.forward(tf.zeros([8, 8, 3]))).to.throw(InvalidArgumentError, 'x has rank 3');
    expect(() => new Linear('fc', { inFeatures: 4, units: 2 }).forward(tf.zeros([1, 1, 5]))).to.throw(InvalidArgumentError, 'expected 4');
    expect(() => new Pool('p', { size: 5 }).forward(tf.zeros([1, 1, 4, 4, 1]))).to.throw(InvalidArgumentError, 'larger than the input');
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`layers on the ${backend} backend`, () => {
    before(async () => {
      await initBackend(backend, { log: () => {} });
    });

    it('sum pool with "same" padding adds the real inputs of each window', () => {
      const x = tf.tensor5d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3, 1]);
      // windows (padding only after): rows {0,1},{2} x cols {0,1},{2}
      expect(Array.from(new Pool('p', { mode: 'sum', size: 2, padding: 'same' }).forward(x).dataSync())).to.deep.equal([12, 9, 15, 9]);
    });

    it('sum pool is differentiable: d sum(y)/dx counts the windows holding each input', () => {
      const pool = new Pool('p', { mode: 'sum', size: 3, stride: 1, padding: 'same' });
      const g = tf.grad((v: tf.Tensor) => tf.sum(pool.forward(v)))(tf.ones([1, 1, 3, 3, 1]));
      expect(Array.from(g.dataSync())).to.deep.equal([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    });

    it('avg pool with padding: forward and gradient both divide by the real inputs of each window', () => {
      const pool = new Pool('p', { mode: 'avg', size: 3, stride: 1, padding: 'same' });
      const x = tf.tensor5d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3, 1]);
      // window centred on (0,0) holds 1,2,4,5 -> 3; centre holds all -> 5
      expectClose(pool.forward(x).dataSync(), [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
      const count = [4, 6, 4, 6, 9, 6, 4, 6, 4];
      const at = (i: number, j: number): number => (i < 0 || j < 0 || i > 2 || j > 2 ? 0 : 1 / (count[i * 3 + j] as number));
      const expected = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => [-1, 0, 1].reduce((acc, di) => acc + [-1, 0, 1].reduce((a, dj) => a + at(i + di, j + dj), 0), 0)));
      const g = tf.grad((v: tf.Tensor) => tf.sum(pool.forward(v)))(tf.ones([1, 1, 3, 3, 1]));
      expectClose(g.dataSync(), expected);
    });

    it('conv, pools and linear take gradients with respect to input and parameters', () => {
      const conv = new Conv2d('c', { inChannels: 2, filters: 3, kernel: 3, stride: 2, padding: 1, seed: 1 });
      const fc = new Linear('fc', { inFeatures: 3, units: 2, seed: 2 });
      const x = tf.tensor5d(values(2 * 1 * 5 * 5 * 2, 6), [2, 1, 5, 5, 2]);
      const f = (): tf.Scalar =>
        tf.sum(tf.square(fc.forward(new GlobalAvgPool('g').forward(new Pool('m', { mode: 'max', size: 3, stride: 1, padding: 'same' }).forward(new Pool('a', { size: 3, stride: 1, padding: 'same' }).forward(conv.forward(x))))))) as tf.Scalar;
      const { grads } = tf.variableGrads(f, [conv.kernel, fc.kernel]);
      for (const v of [conv.kernel, fc.kernel]) expect(Array.from(grads[v.name]!.dataSync()).some((e) => e !== 0)).to.equal(true);
    });
  });
}

