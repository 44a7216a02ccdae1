import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { ADDON_PATH, loadAddon, setNativeSimd, setNativeThreads, setNativeWinograd, traceConvPaths, type ConvPathRecord } from '@deepspike/backend-native';
import { rand, setup, skipWithoutAddon, under } from './helpers.js';

// Winograd F(2x2, 3x3) (native/winograd.cc) against tf.js's cpu kernels: max |native - cpu| over
// max |cpu|, for the forward, the input gradient (a forward with the flipped filter) and the filter
// gradient (the transposed transforms, the tiles as the GEMMs' depth).
const REL = 1e-5;

interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 14, 14, 32], f: [3, 3, 32, 64], pad: 'same' }, // mnist's second conv
  { x: [1, 32, 32, 64], f: [3, 3, 64, 64], pad: 'same' }, // cifar-resnet's block conv, one image
  { x: [3, 7, 7, 16], f: [3, 3, 16, 16], pad: 'same' }, // odd size: a partial last tile row and column
  { x: [2, 5, 9, 16], f: [3, 3, 16, 32], pad: 'same' },
  { x: [2, 5, 9, 32], f: [3, 3, 32, 16], pad: 'valid' }, // 3 x 7 output
  { x: [1, 14, 14, 16], f: [3, 3, 16, 64], pad: 'valid' },
  { x: [4, 7, 7, 64], f: [3, 3, 64, 32], pad: 'valid' },
  { x: [2, 9, 11, 20], f: [3, 3, 20, 36], pad: 'same' }, // channels not a multiple of any vector width
  { x: [1, 32, 32, 16], f: [3, 3, 16, 16], pad: 'valid' },
  { x: [1, 6, 5, 272], f: [3, 3, 272, 24], pad: 'same' }, // C over one micro-kernel depth block (256)
  { x: [2, 6, 7, 12], f: [3, 3, 12, 8], pad: 'same' }, // the smallest channel counts it takes (dx: 8 -> 12 does not)
];

const desc = (c: Case) => `x [${c.x}] filter [${c.f}] ${c.pad}`;

/** The path native/winograd.cc's thresholds choose for a 3x3 stride-1 forward of cin -> cout channels. */
const pathFor = (cin: number, cout: number) => (cin >= 12 && cout >= 8 ? 'winograd' : 'dense');

/** The forward and the gradients dX, dW of sum(conv(x, w) * g), with the paths the native backend took. */
function convAndInputGrad(c: Case, seed: number) {
  const x = rand(c.x, seed) as tf.Tensor4D;
  const w = rand(c.f, seed + 1, -0.5, 0.5) as tf.Tensor4D;
  const y0 = tf.conv2d(x, w, 1, c.pad);
  const g = rand(y0.shape, seed + 2);
  y0.dispose();
  const run = (): tf.Tensor[] => [
    tf.conv2d(x, w, 1, c.pad),
    ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad), g)))([x, w]),
  ];
  const native = (): { out: Float32Array[]; paths: Array<[string, string]> } => {
    const records: ConvPathRecord[] = [];
    traceConvPaths(records);
    try {
      const out = under('deepspike-native', run);
      return { out, paths: records.map((r) => [r.kind, r.path]) };
    } finally {
      traceConvPaths(null);
    }
  };
  const cpu = (): Float32Array[] => under('cpu', run);
  return { native, cpu, dispose: () => tf.dispose([x, w, g]) };
}

/** max |a - b| / max |b|. */
function relErr(a: Float32Array, b: Float32Array): number {
  expect(a.length).to.equal(b.length);
  let err = 0;
  let ref = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs((a[i] as number) - (b[i] as number)));
    ref = Math.max(ref, Math.abs(b[i] as number));
  }
  return ref === 0 ? err : err / ref;
}

describe('native Winograd F(2x2, 3x3) convolution vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
    setNativeWinograd(true);
  });
  after(() => {
    try {
      setNativeWinograd(true);
      setNativeSimd('auto');
    } catch {
      /* addon absent */
    }
  });

  CASES.forEach((c, i) => {
    it(`${desc(c)}: forward, input and filter gradient within ${REL} of max |y| (on the Winograd path)`, () => {
      const t = convAndInputGrad(c, 10 * i + 1);
      const ref = t.cpu();
      const nat = t.native();
      // The input gradient is a forward from CO to C channels.
      const [, , cin, cout] = c.f;
      expect(nat.paths).to.deep.equal([['conv', pathFor(cin, cout)], ['conv', pathFor(cin, cout)], ['convInput', pathFor(cout, cin)], ['convFilter', pathFor(cin, cout)]]);
      expect(nat.paths[0]![1]).to.equal('winograd');
      expect(relErr(nat.out[0]!, ref[0]!), 'y').to.be.below(REL);
      expect(relErr(nat.out[1]!, ref[1]!), 'dx').to.be.below(REL);
      expect(relErr(nat.out[2]!, ref[2]!), 'dW').to.be.below(REL);
      t.dispose();
    });
  });

  it('every micro-kernel instruction set gives the same accuracy (odd sizes, vector tails, pad 0 and 1)', () => {
    for (const c of [CASES[3]!, CASES[4]!, CASES[7]!]) {
      const t = convAndInputGrad(c, 77);
      const ref = t.cpu();
      for (const mode of ['off', '128', 'avx2', 'auto']) {
        const got = setNativeSimd(mode);
        const nat = t.native();
        expect(nat.paths.map((p) => p[1]), `${got} ${desc(c)}`).to.deep.equal(['winograd', 'winograd', 'winograd', 'winograd']);
        expect(relErr(nat.out[0]!, ref[0]!), `${got} ${desc(c)} y`).to.be.below(REL);
        expect(relErr(nat.out[1]!, ref[1]!), `${got} ${desc(c)} dx`).to.be.below(REL);
        expect(relErr(nat.out[2]!, ref[2]!), `${got} ${desc(c)} dW`).to.be.below(REL);
      }
      setNativeSimd('auto');
      t.dispose();
    }
  });

  it('shapes Winograd does not serve take the GEMM paths: C < 12 or CO < 8, stride 2, dilation 2, 5x5 filters', () => {
    const paths = (x: number[], f: number[], stride: number, dilation: number): string[] => {
      const records: ConvPathRecord[] = [];
      traceConvPaths(records);
      try {
        under('deepspike-native', () => tf.conv2d(rand(x, 1) as tf.Tensor4D, rand(f, 2) as tf.Tensor4D, stride, 'same', 'NHWC', dilation));
      } finally {
        traceConvPaths(null);
      }
      return records.map((r) => r.path);
    };
    expect(paths([2, 8, 8, 8], [3, 3, 8, 32], 1, 1), 'C = 8').to.deep.equal(['dense']);
    expect(paths([2, 8, 8, 32], [3, 3, 32, 4], 1, 1), 'CO = 4').to.deep.equal(['dense']);
    expect(paths([2, 8, 8, 12], [3, 3, 12, 8], 1, 1), 'C = 12, CO = 8: the smallest it takes').to.deep.equal(['winograd']);
    expect(paths([2, 8, 8, 32], [3, 3, 32, 32], 2, 1), 'stride 2').to.deep.equal(['dense']);
    expect(paths([2, 9, 9, 32], [3, 3, 32, 32], 1, 2), 'dilation 2').to.deep.equal(['dense']);
    expect(paths([2, 9, 9, 32], [5, 5, 32, 32], 1, 1), '5x5').to.deep.equal(['dense']);
  });

  it('is bitwise independent of the thread count and of how the batch is split (each tile is computed by one thread, its sums in a fixed order)', () => {
    const addon = loadAddon();
    const [n, h, c, co] = [6, 9, 32, 40];
    const x = rand([n, h, h, c], 3).dataSync() as Float32Array;
    const w = rand([3, 3, c, co], 4, -0.5, 0.5).dataSync() as Float32Array;
    const run = (images: number): Float32Array => {
      const y = new Float32Array(images * h * h * co);
      expect(addon.conv2d([images, h, h, c, 3, 3, h, h, co, 1, 1, 1, 1, 1, 1], x.subarray(0, images * h * h * c), w, y)).to.equal('winograd');
      return y;
    };
    try {
      setNativeThreads(1);
      const one = run(n);
      setNativeThreads(2);
      const two = run(n);
      const half = run(n / 2);
      expect(one.every((v, i) => v === two[i]), '1 vs 2 threads').to.equal(true);
      expect(half.every((v, i) => v === two[i]), 'first half of the batch alone').to.equal(true);
    } finally {
      setNativeThreads(Number(process.env.DEEPSPIKE_THREADS) || availableParallelism());
    }
  });

  it('setNativeWinograd(false) takes the GEMM path: close to cpu, not bitwise the Winograd result', () => {
    const t = convAndInputGrad(CASES[0]!, 5);
    const ref = t.cpu();
    const wino = t.native();
    expect(setNativeWinograd(false)).to.equal(false);
    expect(setNativeWinograd()).to.equal(false);
    let gemm: ReturnType<typeof t.native>;
    try {
      gemm = t.native();
    } finally {
      setNativeWinograd(true);
    }
    expect(gemm.paths).to.deep.equal([['conv', 'dense'], ['conv', 'dense'], ['convInput', 'dense'], ['convFilter', 'dense']]);
    expect(relErr(gemm.out[0]!, ref[0]!), 'y').to.be.below(REL);
    expect(relErr(gemm.out[1]!, ref[1]!), 'dx').to.be.below(REL);
    expect(relErr(gemm.out[2]!, ref[2]!), 'dW').to.be.below(REL);
    const differs = (a: Float32Array, b: Float32Array) => a.some((v, i) => v !== b[i]);
    expect(differs(gemm.out[0]!, wino.out[0]!), 'y differs bitwise').to.equal(true);
    expect(differs(gemm.out[1]!, wino.out[1]!), 'dx differs bitwise').to.equal(true);
    expect(differs(gemm.out[2]!, wino.out[2]!), 'dW differs bitwise').to.equal(true);
    t.dispose();
  });

  it('DEEPSPIKE_WINOGRAD=0 at start-up switches it off (the addon then reports the GEMM path)', () => {
    // One 3x3 32 -> 32 conv on 8 x 8 through the addon itself; prints [enabled, forward, input-gradient, filter-gradient algo].
    const script = `
      const a = require(${JSON.stringify(ADDON_PATH)});
      const g = [1, 8, 8, 32, 3, 3, 8, 8, 32, 1, 1, 1, 1, 1, 1];
      const x = new Float32Array(8 * 8 * 32).fill(1), w = new Float32Array(9 * 32 * 32).fill(0.5), y = new Float32Array(8 * 8 * 32);
      console.log(JSON.stringify([a.setWinograd(), a.conv2d(g, x, w, y), a.conv2dBackpropInput(g, x, w, y), a.conv2dBackpropFilter(g, x, y, w)]));`;
    const run = (env: Record<string, string>) =>
      JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })) as unknown;
    expect(run({ DEEPSPIKE_WINOGRAD: '0' })).to.deep.equal([false, 'gemm', 'gemm', 'gemm']);
    expect(run({ DEEPSPIKE_WINOGRAD: '1' })).to.deep.equal([true, 'winograd', 'winograd', 'winograd']);
  });
});
