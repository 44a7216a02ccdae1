import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { setSpikeDensityThreshold } from '@deepspike/backend-native';
import { closeness, rand, setup, skipWithoutAddon, under } from './helpers.js';

describe('native MatMul / BatchMatMul / _FusedMatMul vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  const CASES: Array<{ a: number[]; b: number[]; tA: boolean; tB: boolean }> = [
    { a: [1, 1], b: [1, 1], tA: false, tB: false },
    { a: [7, 13], b: [13, 5], tA: false, tB: false },
    { a: [13, 7], b: [13, 5], tA: true, tB: false },
    { a: [7, 13], b: [5, 13], tA: false, tB: true },
    { a: [13, 7], b: [5, 13], tA: true, tB: true },
    { a: [256, 300], b: [300, 10], tA: false, tB: false },
    { a: [300, 64], b: [300, 10], tA: true, tB: false },
    { a: [2, 70, 13], b: [2, 13, 3], tA: false, tB: false },
    { a: [2, 13, 70], b: [2, 5, 13], tA: true, tB: true },
    { a: [3, 9, 11], b: [3, 11, 4], tA: false, tB: false },
    { a: [3, 9, 11], b: [11, 4], tA: false, tB: false },
    { a: [9, 11], b: [2, 11, 6], tA: false, tB: false },
    { a: [2, 11, 9], b: [2, 6, 11], tA: true, tB: true },
    // The narrow GEMMs: N <= 16 with many rows (rows not a multiple of the 8-row block; N = 16 and 1),
    // K <= 16 with N >= 64 (N not a multiple of 16), every transpose: a classifier head and its gradients.
    { a: [261, 3136], b: [3136, 10], tA: false, tB: false },
    { a: [3136, 70], b: [70, 16], tA: false, tB: false },
    { a: [77, 300], b: [1, 300], tA: false, tB: true },
    { a: [300, 45], b: [300, 10], tA: true, tB: false },
    { a: [66, 10], b: [203, 10], tA: false, tB: true },
    { a: [10, 66], b: [10, 203], tA: true, tB: false },
    { a: [4, 33, 16], b: [4, 16, 64], tA: false, tB: false },
  ];
  CASES.forEach((c, i) => {
    // tf.js's own BatchMatMul gradient rejects broadcast batches (on every backend): values only there.
    const withGrads = c.a.length === c.b.length;
    it(`a [${c.a}]${c.tA ? 'ᵀ' : ''} x b [${c.b}]${c.tB ? 'ᵀ' : ''}: values${withGrads ? ' and gradients' : ''}`, () => {
      const a = rand(c.a, 20 + i);
      const b = rand(c.b, 40 + i);
      const run = () => {
        const y = tf.matMul(a, b, c.tA, c.tB);
        if (!withGrads) return [y];
        const g = rand(y.shape, 3 + i);
        const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, c.tA, c.tB), g)))([a, b]);
        return [y, da as tf.Tensor, db as tf.Tensor];
      };
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      for (let k = 0; k < cpu.length; k++) expect(closeness(nat[k]!, cpu[k]!, 1e-4, 1e-4), ['y', 'da', 'db'][k]).to.be.at.most(1);
      tf.dispose([a, b]);
    });
  });

  for (const activation of ['linear', 'relu', 'elu'] as const) {
    it(`fused matMul + bias + ${activation} (elu runs the cpu kernel)`, () => {
      const a = rand([64, 70], 1);
      const b = rand([70, 33], 2);
      const bias = rand([33], 3);
      const run = () => tf.fused.matMul({ a, b, bias, activation });
      const [cpu] = under('cpu', run);
      const [nat] = under('deepspike-native', run);
      expect(closeness(nat!, cpu!, 1e-4, 1e-4)).to.be.at.most(1);
      tf.dispose([a, b, bias]);
    });
  }

  it('spike-aware product: binary sparse inputs give the dense result (threshold 1 forces the path, 0 disables)', () => {
    const mask = rand([128, 200], 77, 0, 1);
    const s = tf.cast(tf.less(mask, 0.05), 'float32');
    const w = rand([200, 48], 78);
    const run = () => tf.matMul(s, w);
    const [cpu] = under('cpu', run);
    setSpikeDensityThreshold(1);
    const [spike] = under('deepspike-native', run);
    setSpikeDensityThreshold(0);
    const [dense] = under('deepspike-native', run);
    setSpikeDensityThreshold(undefined);
    expect(closeness(spike!, cpu!, 1e-5, 1e-5)).to.be.at.most(1);
    expect(closeness(dense!, cpu!, 1e-5, 1e-5)).to.be.at.most(1);
    tf.dispose([mask, s, w]);
  });
});

describe('native element-wise ops and reductions vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  const A = [4, 8, 10, 16];
  const shapes: number[][] = [A, [16], [10, 16], [1, 1, 1, 16], [1]];
  for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const) {
    it(`${op} with broadcasting (b = ${shapes.map((s) => `[${s}]`).join(', ')}) and the swapped order`, () => {
      const a = rand(A, 5);
      for (const [k, s] of shapes.entries()) {
        const b = rand(s, 50 + k, 0.5, 2);
        for (const [p, q] of [[a, b], [b, a]] as const) {
          const run = () => tf[op](p, q);
          const [cpu] = under('cpu', run);
          const [nat] = under('deepspike-native', run);
          expect(closeness(nat!, cpu!, 1e-6, 1e-6), `${op} [${p.shape}] [${q.shape}]`).to.be.at.most(1);
        }
        b.dispose();
      }
      a.dispose();
    });
  }

  // Small tensors (under the native threshold): broadcasts of every kind run a JS odometer, which
  // must give the cpu kernels' values bit for bit.
  const small: Array<[number[], number[]]> = [[[64, 10], [64, 1]], [[1, 64, 10], [4, 64, 10]], [[4, 1, 3], [1, 5, 1]], [[3, 1, 2, 1], [7, 1, 5]], [[6], []], [[2, 3, 4], [3, 1]]];
  for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const) {
    it(`${op} of small broadcasts (${small.map(([a, b]) => `[${a}] x [${b}]`).join(', ')}) and the swapped order: the cpu kernel's values bit for bit, NaN included`, () => {
      for (const [k, [sa, sb]] of small.entries()) {
        const a = rand(sa, 70 + k, -2, 2);
        const b = rand(sb, 90 + k, 0.5, 2);
        const withNan = tf.tidy(() => tf.where(tf.greater(a, 1.5), tf.fill(a.shape, NaN), a));
        for (const [p, q] of [[withNan, b], [b, withNan]] as const) {
          const run = () => tf[op](p, q);
          const [cpu] = under('cpu', run);
          const [nat] = under('deepspike-native', run);
          expect(nat!.length, `${op} [${p.shape}] [${q.shape}]`).to.equal(cpu!.length);
          for (let i = 0; i < cpu!.length; i++) expect(Object.is(nat![i], cpu![i]), `${op} [${p.shape}] [${q.shape}] at ${i}: ${nat![i]} vs ${cpu![i]}`).to.equal(true);
        }
        tf.dispose([a, b, withNan]);
      }
    });
  }

  for (const op of ['relu', 'neg', 'exp', 'square', 'abs', 'sigmoid'] as const) {
    it(`${op} values and gradient`, () => {
      const x = rand([8, 32, 33], 9);
      const run = () => [tf[op](x), tf.grad((t: tf.Tensor) => tf.sum(tf[op](t)))(x)];
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      expect(closeness(nat[0]!, cpu[0]!, 1e-6, 1e-6)).to.be.at.most(1);
      expect(closeness(nat[1]!, cpu[1]!, 1e-6, 1e-6)).to.be.at.most(1);
      x.dispose();
    });
  }

  const AXES: Array<number | number[]> = [0, [0, 1], [0, 1, 2], 3, [2, 3], [1, 2, 3], 1, [0, 2]];
  for (const red of ['sum', 'mean'] as const) {
    for (const axis of AXES) {
      it(`${red} over axis ${JSON.stringify(axis)} (keepDims both ways)`, () => {
        const x = rand([6, 10, 12, 16], 13);
        for (const keepDims of [false, true]) {
          const run = () => tf[red](x, axis, keepDims);
          const [cpu] = under('cpu', run);
          const [nat] = under('deepspike-native', run);
          expect(closeness(nat!, cpu!, 1e-5, 1e-5)).to.be.at.most(1);
        }
        x.dispose();
      });
    }
    it(`${red} of small tensors over leading axes (under the native threshold; the cpu kernel transposes) within float32 rounding`, () => {
      for (const [shape, axis] of [[[4, 64, 10], 0], [[256, 10], 0], [[3, 5, 7], [0, 1]], [[2, 3], 0]] as Array<[number[], number | number[]]>) {
        const x = rand(shape, 17);
        const run = () => tf[red](x, axis);
        const [cpu] = under('cpu', run);
        const [nat] = under('deepspike-native', run);
        expect(closeness(nat!, cpu!, 1e-6, 1e-6), `[${shape}] axis ${JSON.stringify(axis)}`).to.be.at.most(1);
        x.dispose();
      }
    });
  }
});
