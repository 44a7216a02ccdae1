import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { stbpRectangle, type Surrogate } from '@deepspike/core';
import { tdbnLifWithStats, hasFusedTdbnLif, type TdbnImplementation } from '@deepspike/tdbn';
import { closeness, rand, setup, skipWithoutAddon, under } from './helpers.js';

/** Spikes, mean, variance and the gradients of sum(spikes * g) for x, lambda, beta [and the residual]. */
function run(x: tf.Tensor, residual: tf.Tensor | null, surrogate: Surrogate, detachReset: boolean, implementation: TdbnImplementation): tf.Tensor[] {
  const c = x.shape[x.rank - 1] as number;
  const lambda = tf.add(1, tf.mul(0.3, rand([c], 11)));
  const beta = tf.mul(0.2, rand([c], 12));
  const g = rand(x.shape, 13);
  const norm = { alpha: Math.SQRT1_2, vth: 0.5, lambda, beta, epsilon: 1e-5, implementation };
  const neuron = { vth: 0.5, tau: 0.25, surrogate, detachReset };
  const f = (xx: tf.Tensor, l: tf.Tensor, b: tf.Tensor, r?: tf.Tensor): tf.Tensor => {
    const out = tdbnLifWithStats(xx, { ...norm, lambda: l, beta: b }, neuron, r ?? null);
    tf.dispose([out.mean, out.variance]);
    return tf.sum(tf.mul(out.spikes, g));
  };
  const stats = tdbnLifWithStats(x, norm, neuron, residual);
  const grads = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)(residual ? [x, lambda, beta, residual] : [x, lambda, beta]);
  return [stats.spikes, stats.mean, stats.variance, ...grads];
}

function mismatches(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('native DeepSpikeTdBNLIF / DeepSpikeTdBNAddLIF / DeepSpikeTdBNLIFGrad', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('registers the fused kernels for deepspike-native (and cpu)', () => {
    expect(hasFusedTdbnLif('deepspike-native')).to.equal(true);
    expect(hasFusedTdbnLif('cpu')).to.equal(true);
  });

  // Shapes: odd sizes, one channel, three channels over several 1365-row blocks, 64 channels, T = 1.
  const shapes: number[][] = [[4, 2, 5, 3, 8], [3, 4, 7], [2, 3, 6, 5, 1], [2, 8, 20, 20, 3], [4, 2, 9, 7, 64], [1, 5, 4, 4, 16]];
  for (const shape of shapes) {
    for (const withResidual of [false, true]) {
      it(`${shape.join('x')}${withResidual ? ' + residual' : ''}: equals the cpu fused kernels and the unfused composition (values and gradients)`, () => {
        const x = rand(shape, 1, -1.5, 2.5);
        const r = withResidual ? rand(shape, 2, -0.5, 0.5) : null;
        const sur = stbpRectangle(1);
        const native = under('deepspike-native', () => run(x, r, sur, false, 'auto'));
        const cpu = under('cpu', () => run(x, r, sur, false, 'auto'));
        const composite = under('deepspike-native', () => run(x, r, sur, false, 'composite'));
        // Same arithmetic as the cpu kernel: identical spikes and statistics.
        expect(mismatches(native[0]!, cpu[0]!), 'spikes vs cpu fused').to.equal(0);
        expect(Array.from(native[1]!)).to.deep.equal(Array.from(cpu[1]!));
        expect(closeness(native[2]!, cpu[2]!, 1e-6, 1e-5)).to.be.at.most(1);
        // The composition normalises with the float64 mean: at most a spike on the threshold may differ.
        expect(mismatches(native[0]!, composite[0]!), 'spikes vs composite').to.be.at.most(Math.ceil(native[0]!.length * 1e-4));
        for (let i = 3; i < native.length; i++) {
          expect(closeness(native[i]!, cpu[i]!, 1e-4, 1e-4), `gradient ${i - 3} vs cpu fused`).to.be.at.most(1);
          expect(closeness(native[i]!, composite[i]!, 1e-4, 1e-3), `gradient ${i - 3} vs composite`).to.be.at.most(1);
        }
        // The gradients are not trivially zero.
        expect(native[3]!.some((v) => v !== 0)).to.equal(true);
      });
    }
  }

  // The families the native code computes itself (the composition runs the native LIF kernels).
  const families: Array<[string, number, boolean, (x: number) => number]> = [
    // 0.5/3 is not a float32: the kernel's float32 window must select the same elements as the float64 one.
    ['rect', 3, false, (x) => (Math.abs(x) < 0.5 / 3 ? 3 : 0)],
    ['sigmoid', 4, false, (x) => { const s = 1 / (1 + Math.exp(-4 * x)); return 4 * s * (1 - s); }],
    ['atan', 2, true, (x) => 1 / (1 + (Math.PI * x) ** 2)],
    ['piecewise-quadratic', 1, true, (x) => Math.max(0, 1 - Math.abs(x))],
  ];
  for (const [name, alpha, detach, derivative] of families) {
    it(`${name} {alpha: ${alpha}}, detachReset ${detach}: gradients equal the composition`, () => {
      const sur = { name, params: { alpha }, primitive: (v: number) => (v >= 0 ? 1 : 0), derivative } as unknown as Surrogate;
      const x = rand([4, 3, 6, 5, 8], 5, -1, 2);
      const r = rand([4, 3, 6, 5, 8], 6, -0.5, 0.5);
      const native = under('deepspike-native', () => run(x, r, sur, detach, 'auto'));
      const composite = under('deepspike-native', () => run(x, r, sur, detach, 'composite'));
      for (let i = 3; i < native.length; i++) expect(closeness(native[i]!, composite[i]!, 1e-4, 1e-3), `gradient ${i - 3}`).to.be.at.most(1);
    });
  }

  it('a surrogate the native code does not know runs the cpu kernel for the gradient', () => {
    const triangle = { name: 'my-triangle', params: { w: 1 }, primitive: (v: number) => (v >= 0 ? 1 : 0), derivative: (v: number) => Math.max(0, 1 - Math.abs(v)) } as unknown as Surrogate;
    const x = rand([3, 2, 4, 4, 5], 7, -1, 2);
    const native = under('deepspike-native', () => run(x, null, triangle, false, 'auto'));
    const cpu = under('cpu', () => run(x, null, triangle, false, 'auto'));
    for (let i = 3; i < native.length; i++) expect(closeness(native[i]!, cpu[i]!, 1e-6, 1e-6), `gradient ${i - 3}`).to.be.at.most(1);
  });
});
