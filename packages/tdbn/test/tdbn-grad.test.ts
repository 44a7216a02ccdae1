import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { checkGrad, expectClose } from '@deepspike/core/testing';
import { hasFusedTdbn, tdbn, tdbnWithStats, type TdbnImplementation } from '@deepspike/tdbn';
import { BACKENDS, randnTensor, useBackend } from './helpers.js';

for (const backend of BACKENDS) {
  const impls: TdbnImplementation[] = backend === 'cpu' ? ['fused', 'composite'] : ['auto'];
  for (const implementation of impls) {
    describe(`tdbn gradients pass checkGrad (${backend}, ${implementation})`, () => {
      before(() => useBackend(backend));

      for (const [label, shape] of [
        ['[T, N, H, W, C]', [3, 2, 2, 2, 3]],
        ['[T, N, C]', [4, 3, 5]],
      ] as const) {
        it(`x, lambda and beta on ${label}`, () => {
          const x = randnTensor([...shape], 11, 0.3, 1.5);
          const g = randnTensor([...shape], 12);
          const c = shape[shape.length - 1] as number;
          const lambda = tf.tensor1d(Array.from({ length: c }, (_, i) => (i % 2 === 0 ? 1.3 : -0.7)));
          const beta = randnTensor([c], 13);
          const f = (xx: tf.Tensor, ll: tf.Tensor, bb: tf.Tensor): tf.Tensor =>
            tf.sum(tf.mul(tdbn(xx, { alpha: Math.SQRT1_2, vth: 0.5, lambda: ll, beta: bb, implementation }), g));
          const r = checkGrad(f, [x, lambda, beta], { eps: 1e-2, atol: 2e-3, rtol: 1e-2 });
          expect(r.checked).to.equal(x.size + 2 * c);
          tf.dispose([x, g, lambda, beta]);
        });
      }
    });
  }
}

/** tdBN forward in float64 (two-pass statistics), the reference for accuracy. */
function referenceY(x: ArrayLike<number>, c: number, lambda: ArrayLike<number>, beta: ArrayLike<number>, gain: number, eps: number): Float64Array {
  const m = x.length / c;
  const y = new Float64Array(x.length);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[i * c + j] as number;
    const mean = s / m;
    let v = 0;
    for (let i = 0; i < m; i++) v += ((x[i * c + j] as number) - mean) ** 2;
    const inv = 1 / Math.sqrt(v / m + eps);
    for (let i = 0; i < m; i++) y[i * c + j] = (lambda[j] as number) * gain * ((x[i * c + j] as number) - mean) * inv + (beta[j] as number);
  }
  return y;
}

describe('fused DeepSpikeTdBN kernels vs composite ops (cpu)', () => {
  before(() => useBackend('cpu'));

  it('cpu has the fused kernels, wasm does not', async () => {
    expect(hasFusedTdbn('cpu')).to.equal(true);
    expect(hasFusedTdbn('wasm')).to.equal(false);
  });

  for (const [label, shape, offset] of [
    ['[T, N, H, W, C]', [4, 3, 5, 5, 6], 2.5],
    ['[T, N, C] with a large mean', [2, 8, 7], 300],
  ] as const) {
    it(`same y, statistics and gradients on ${label}`, () => {
      const before = tf.memory().numTensors;
      const x = randnTensor([...shape], 21, offset, 0.8);
      const g = randnTensor([...shape], 22);
      const c = shape[shape.length - 1] as number;
      const lambda = randnTensor([c], 23);
      const beta = randnTensor([c], 24);
      const run = (implementation: TdbnImplementation) => {
        const opts = { alpha: 0.9, vth: 1.2, epsilon: 1e-5, implementation };
        const s = tdbnWithStats(x, { ...opts, lambda, beta });
        const [gx, gl, gb] = tf.grads((xx: tf.Tensor, ll: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tdbn(xx, { ...opts, lambda: ll, beta: bb }), g)))([
          x,
          lambda,
          beta,
        ]);
        const out = [s.y, s.mean, s.variance, gx!, gl!, gb!].map((t) => t.dataSync().slice());
        tf.dispose([s.y, s.mean, s.variance, gx!, gl!, gb!]);
        return out;
      };
      const fused = run('fused');
      const comp = run('composite');
      const names = ['y', 'mean', 'variance', 'grad_x', 'grad_lambda', 'grad_beta'];
      // Composite float32 sums vs float64 accumulation: the gradient sums run over 150+ terms.
      const tol = [
        { atol: 1e-5, rtol: 1e-5 },
        { atol: 1e-6, rtol: 1e-6 },
        { atol: 1e-5, rtol: 1e-4 },
        { atol: 1e-5, rtol: 1e-4 },
        { atol: 1e-4, rtol: 1e-4 },
        { atol: 1e-4, rtol: 1e-5 },
      ];
      // The composite path's float32 mean is off by ~ulp(offset); the fused one sums in float64.
      if (offset > 100) tol[0] = { atol: 1e-4, rtol: 1e-5 };
      names.forEach((n, i) => expectClose(fused[i]!, comp[i]!, tol[i], n));
      expectClose(fused[0]!, referenceY(x.dataSync(), c, lambda.dataSync(), beta.dataSync(), 0.9 * 1.2, 1e-5), { atol: 2e-6, rtol: 1e-6 }, 'fused y vs float64');
      tf.dispose([x, g, lambda, beta]);
      expect(tf.memory().numTensors).to.equal(before);
    });
  }
});
