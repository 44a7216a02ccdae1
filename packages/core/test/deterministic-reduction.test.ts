// Deterministic reductions: the fixed tree of sample blocks, and the property data-parallel training
// needs from it — the gradient of a batch equals, to the bit, the sum of the gradients of its two
// halves computed apart (what 2 ranks compute), for Linear and Conv2d with biases.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  Conv2d, DEFAULT_GRANULE, Linear, deterministicGranule, granuleComposes, initBackend, sampleBlocks, setDeterministicReduction, treeSum,
  type Layer,
} from '@deepspike/core';

const T = 3;

/** Gradients of sum(forward(x) * w) with respect to the layer's parameters, by name. */
function paramGrads(layer: Layer, x: Tensor, w: Tensor): Map<string, Float32Array> {
  const params = layer.trainableParameters();
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.forward(x), w)), [...params.values()]);
  const out = new Map<string, Float32Array>();
  for (const [name, v] of params) out.set(name, grads[v.name]!.dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/** Samples [a, b) of every step of a [T, N, …] tensor. */
const samples = (x: Tensor, a: number, b: number): Tensor => tf.slice(x, [0, a, ...x.shape.slice(2).map(() => 0)], [T, b - a, ...x.shape.slice(2)]);

const bits = (a: Float32Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

describe('deterministic reductions (cpu backend)', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });
  afterEach(() => setDeterministicReduction(null));

  it('treeSum adds pairwise, the left part the largest power of two below n', () => {
    // float32 addition is not associative: 2^24 + 1 rounds to 2^24, so the bracketing shows.
    const big = 2 ** 24;
    const parts = [big, 1, 1, 1, 1].map((v) => tf.scalar(v));
    // ((big + 1) + (1 + 1)) + 1 = (big + 2) + 1 = big + 2 (big + 3 is not a float32; it ties to even).
    const f = Math.fround;
    const expected = f(f(f(big + 1) + f(1 + 1)) + 1);
    expect(treeSum(parts).dataSync()[0]).to.equal(expected);
    const sequential = parts.reduce((a, b) => tf.add(a, b));
    expect(sequential.dataSync()[0]).to.equal(big);
    expect(expected).to.not.equal(big);
  });

  it('sampleBlocks cuts [T, N, …] into [T*g, …] blocks of samples, time-major, the last one short', () => {
    const x = tf.reshape(tf.range(0, T * 5 * 2), [T, 5, 2]);
    const blocks = sampleBlocks(x, 2);
    expect(blocks.map((b) => b.shape)).to.deep.equal([[6, 2], [6, 2], [3, 2]]);
    // Block 1: samples 2, 3 of steps 0, 1, 2 (element (t, n, c) = t*10 + n*2 + c).
    expect([...blocks[1]!.dataSync()]).to.deep.equal([4, 5, 6, 7, 14, 15, 16, 17, 24, 25, 26, 27]);
  });

  it('granuleComposes: a rank\'s shard must be a power-of-two number of whole blocks', () => {
    expect(granuleComposes(32, 8)).to.equal(true);
    expect(granuleComposes(8, 8)).to.equal(true);
    expect(granuleComposes(24, 8)).to.equal(false);
    expect(granuleComposes(12, 8)).to.equal(false);
    expect(granuleComposes(4, 8)).to.equal(false);
    expect(DEFAULT_GRANULE).to.equal(8);
    expect(() => setDeterministicReduction(0)).to.throw(/integer >= 1/);
    setDeterministicReduction(4);
    expect(deterministicGranule()).to.equal(4);
  });

  const cases: { name: string; make: () => Layer; shape: number[] }[] = [
    { name: 'Linear', make: () => new Linear('fc', { inFeatures: 37, units: 11, seed: 3 }), shape: [T, 16, 37] },
    { name: 'Conv2d', make: () => new Conv2d('conv', { inChannels: 3, filters: 5, kernel: 3, padding: 1, seed: 4 }), shape: [T, 16, 6, 6, 3] },
  ];
  for (const c of cases) {
    it(`${c.name}: the batch's parameter gradients are the halves' added, bit for bit; the values equal the plain layer's`, () => {
      const layer = c.make();
      const x = tf.randomNormal(c.shape, 0, 1, 'float32', 5);
      const w = tf.randomNormal(layer.forward(x).shape, 0, 1, 'float32', 6);
      const plainY = layer.forward(x).dataSync();
      const plain = paramGrads(layer, x, w);
      setDeterministicReduction(4);
      expect(bits(layer.forward(x).dataSync() as Float32Array)).to.deep.equal(bits(plainY as Float32Array));
      const whole = paramGrads(layer, x, w);
      const left = paramGrads(layer, samples(x, 0, 8), samples(w, 0, 8));
      const right = paramGrads(layer, samples(x, 8, 16), samples(w, 8, 16));
      expect([...whole.keys()].sort()).to.deep.equal(['bias', 'kernel']);
      for (const [name, g] of whole) {
        const halves = new Float32Array(g.length);
        for (let i = 0; i < g.length; i++) halves[i] = Math.fround(left.get(name)![i]! + right.get(name)![i]!);
        expect(bits(g), name).to.deep.equal(bits(halves));
        const ref = plain.get(name)!;
        let worst = 0;
        for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - ref[i]!) / (Math.abs(ref[i]!) + 1e-3));
        expect(worst, name).to.be.below(1e-4);
      }
    });
  }

  it('Conv2d: the input gradient is the plain layer\'s (only the parameter sums change)', () => {
    const layer = new Conv2d('conv', { inChannels: 2, filters: 4, kernel: 3, padding: 1, seed: 7 });
    const x = tf.randomNormal([T, 8, 5, 5, 2], 0, 1, 'float32', 8);
    const w = tf.randomNormal([T, 8, 5, 5, 4], 0, 1, 'float32', 9);
    const dx = (): Float32Array => tf.grad((xx: Tensor) => tf.sum(tf.mul(layer.forward(xx), w)))(x).dataSync() as Float32Array;
    const plain = dx();
    setDeterministicReduction(4);
    expect(bits(dx())).to.deep.equal(bits(plain));
  });
});
