import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { conv2dFilterGradViaConv, conv2dInputGradViaConv, initBackend } from '@deepspike/core';

type Case = { n: number; h: number; w: number; ci: number; co: number; k: [number, number]; s: number; pad: 'same' | 'valid' };

const CASES: Case[] = [
  { n: 2, h: 7, w: 7, ci: 3, co: 4, k: [3, 3], s: 1, pad: 'same' },
  { n: 2, h: 7, w: 7, ci: 3, co: 4, k: [3, 3], s: 1, pad: 'valid' },
  { n: 1, h: 9, w: 8, ci: 1, co: 2, k: [3, 3], s: 2, pad: 'same' },
  { n: 3, h: 9, w: 11, ci: 2, co: 5, k: [3, 3], s: 2, pad: 'valid' },
  { n: 2, h: 6, w: 6, ci: 4, co: 3, k: [1, 1], s: 2, pad: 'valid' },
  { n: 1, h: 5, w: 7, ci: 3, co: 3, k: [5, 3], s: 1, pad: 'same' },
  { n: 2, h: 10, w: 10, ci: 2, co: 2, k: [4, 4], s: 2, pad: 'same' },
];

function randomCase(c: Case, seed: number): { x: Tensor4D; f: Tensor4D; dy: Tensor4D } {
  const x = tf.randomNormal([c.n, c.h, c.w, c.ci], 0, 1, 'float32', seed) as Tensor4D;
  const f = tf.randomNormal([c.k[0], c.k[1], c.ci, c.co], 0, 1, 'float32', seed + 1) as Tensor4D;
  const y = tf.conv2d(x, f, c.s, c.pad);
  const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2) as Tensor4D;
  return { x, f, dy };
}

/** tf.js's own gradients on the cpu backend (its Conv2DBackpropFilter / Conv2DBackpropInput kernels). */
function tfReference(c: Case, x: Tensor4D, f: Tensor4D, dy: Tensor4D): { dx: Float32Array; df: Float32Array } {
  const df = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: c.s,
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape: f.shape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const dx = tf.conv2dTranspose(dy, f, x.shape, c.s, c.pad);
  return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-4, rtol = 1e-4): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Math.abs(a - e) > atol + rtol * Math.abs(e)) expect.fail(`element ${i}: ${a} vs ${e}`);
  }
}

describe('Conv2D gradient without Conv2DBackpropFilter', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('matches a brute-force filter gradient in doubles', () => {
    const c = CASES[2] as Case;
    const { x, f, dy } = randomCase(c, 7);
    const got = conv2dFilterGradViaConv(x, dy, f.shape as [number, number, number, number], c.s, c.pad).dataSync();
    const info = tf.backend_util.computeConv2DInfo(x.shape, f.shape as [number, number, number, number], c.s, 1, c.pad);
    const xv = x.dataSync();
    const dv = dy.dataSync();
    const [kh, kw, ci, co] = f.shape;
    const want = new Float64Array(f.size);
    for (let a = 0; a < kh; a++)
      for (let b = 0; b < kw; b++)
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) {
            let s = 0;
            for (let n = 0; n < c.n; n++)
              for (let oh = 0; oh < info.outHeight; oh++)
                for (let ow = 0; ow < info.outWidth; ow++) {
                  const ih = oh * c.s + a - info.padInfo.top;
                  const iw = ow * c.s + b - info.padInfo.left;
                  if (ih < 0 || iw < 0 || ih >= c.h || iw >= c.w) continue;
                  s += (xv[((n * c.h + ih) * c.w + iw) * ci + i] as number) * (dv[((n * info.outHeight + oh) * info.outWidth + ow) * co + o] as number);
                }
            want[((a * kw + b) * ci + i) * co + o] = s;
          }
    expectClose(got, want, 1e-5, 1e-5);
  });

  for (const c of CASES) {
    const label = `${c.n}x${c.h}x${c.w}x${c.ci} k${c.k.join('x')} s${c.s} ${c.pad}`;
    it(`equals tf.js's own filter gradient on cpu: ${label}`, () => {
      const { x, f, dy } = randomCase(c, 11);
      const ref = tfReference(c, x, f, dy);
      const got = conv2dFilterGradViaConv(x, dy, f.shape as [number, number, number, number], c.s, c.pad);
      expect(got.shape).to.deep.equal(f.shape);
      expectClose(got.dataSync(), ref.df);
    });
  }

  for (const c of CASES.filter((k) => k.s === 1)) {
    const label = `${c.n}x${c.h}x${c.w}x${c.ci} k${c.k.join('x')} ${c.pad}`;
    it(`computes the stride-1 input gradient as a flipped conv equal to tf.js's: ${label}`, () => {
      const { x, f, dy } = randomCase(c, 23);
      const ref = tfReference(c, x, f, dy);
      const got = conv2dInputGradViaConv(dy, f, x.shape, c.pad);
      expect(got.shape).to.deep.equal(x.shape);
      expectClose(got.dataSync(), ref.dx);
    });
  }

  it('drives tf.grads on the wasm backend to the cpu backend values', async () => {
    const inputs = CASES.map((c, i) => {
      const r = randomCase(c, 100 + i);
      return { c, x: r.x.arraySync(), f: r.f.arraySync(), dy: r.dy.arraySync(), ref: tfReference(c, r.x, r.f, r.dy) };
    });
    await initBackend('wasm', { log: () => {} });
    try {
      for (const { c, x, f, dy, ref } of inputs) {
        const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as Tensor4D, b as Tensor4D, c.s, c.pad))(
          [tf.tensor4d(x), tf.tensor4d(f)],
          tf.tensor4d(dy),
        );
        expectClose((gx as tf.Tensor).dataSync(), ref.dx);
        expectClose((gf as tf.Tensor).dataSync(), ref.df);
      }
    } finally {
      await initBackend('cpu', { log: () => {} });
    }
  });
});
