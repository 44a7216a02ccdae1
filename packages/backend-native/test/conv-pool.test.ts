import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_SPIKE_DENSITY, setConvSpikeScanForAllSizes, setSpikeDensityThreshold, spikePathCounts } from '@deepspike/backend-native';
import { closeness, rand, setup, skipWithoutAddon, under } from './helpers.js';

// Values: float32 sums over up to a few hundred terms in a different order than the cpu kernel.
const VAL = { atol: 1e-4, rtol: 1e-4 };

interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
  dilation?: number;
}

const CONV_CASES: ConvCase[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 2], stride: 1, pad: 'same' },
  { x: [1, 7, 9, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], stride: 2, pad: 'valid' },
  { x: [3, 8, 8, 1], f: [3, 3, 1, 32], stride: 1, pad: 'valid' },
  { x: [6, 20, 20, 3], f: [3, 3, 3, 20], stride: 1, pad: 'same' },
  { x: [2, 30, 30, 2], f: [3, 3, 2, 64], stride: 2, pad: 'same' },
  { x: [2, 11, 13, 3], f: [5, 3, 3, 7], stride: 1, pad: 'same' },
  { x: [1, 6, 6, 17], f: [1, 1, 17, 33], stride: 1, pad: 'same' },
  { x: [2, 10, 10, 16], f: [3, 3, 16, 40], stride: 2, pad: 'same' },
  { x: [2, 10, 10, 32], f: [3, 3, 32, 64], stride: 1, pad: 'same' },
  { x: [1, 5, 6, 300], f: [3, 3, 300, 9], stride: 1, pad: 'same' },
  // Few input channels (the image layer's kernels, on a padded copy of x): windows that stop short
  // of the last row and column, and a dilated filter (forward only: core refuses its gradient).
  { x: [1, 8, 8, 1], f: [3, 3, 1, 16], stride: 2, pad: 'valid' },
  { x: [2, 11, 10, 3], f: [3, 3, 3, 10], stride: 1, pad: 'same', dilation: 2 },
  { x: [2, 12, 9, 2], f: [3, 2, 2, 33], stride: 1, pad: 'valid', dilation: 2 },
];

describe('native Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  CONV_CASES.forEach((c, i) => {
    const dilation = c.dilation ?? 1;
    it(`x [${c.x}] filter [${c.f}] stride ${c.stride} ${c.pad}${dilation > 1 ? ` dilation ${dilation}: values` : ': values and gradients (dx, dW)'}`, () => {
      const x = rand(c.x, 11 + i) as tf.Tensor4D;
      const w = rand(c.f, 101 + i, -0.5, 0.5) as tf.Tensor4D;
      const run = () => {
        const y = tf.conv2d(x, w, c.stride, c.pad, 'NHWC', dilation);
        if (dilation > 1) return [y];
        const g = rand(y.shape, 7 + i);
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), g));
        const [dx, dw] = tf.grads(f)([x, w]);
        return [y, dx as tf.Tensor, dw as tf.Tensor];
      };
      const before = tf.memory().numTensors;
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      expect(tf.memory().numTensors).to.equal(before);
      ['y', 'dx', 'dW'].slice(0, nat.length).forEach((name, k) => {
        expect(closeness(nat[k]!, cpu[k]!, VAL.atol, VAL.rtol), name).to.be.at.most(1);
      });
      tf.dispose([x, w]);
    });
  });

  /** Runs fn with every conv considering the spike paths at the given threshold (1 forces them for binary inputs, 0 disables). */
  function withSpikeThreshold<T>(threshold: number, fn: () => T): T {
    setConvSpikeScanForAllSizes(true);
    setSpikeDensityThreshold(threshold);
    try {
      return fn();
    } finally {
      setConvSpikeScanForAllSizes(false);
      setSpikeDensityThreshold(undefined);
    }
  }

  const SPIKE_CASES = [CONV_CASES[1]!, CONV_CASES[2]!, CONV_CASES[6]!, { x: [2, 9, 9, 8], f: [3, 3, 8, 16], stride: 1, pad: 'same' } as ConvCase,
    { x: [2, 8, 9, 64], f: [3, 3, 64, 64], stride: 1, pad: 'same' } as ConvCase, { x: [2, 9, 9, 7], f: [3, 3, 7, 20], stride: 2, pad: 'valid' } as ConvCase,
    { x: [2, 11, 10, 9], f: [3, 3, 9, 17], stride: 1, pad: 'same', dilation: 2 } as ConvCase,
    // Stride 1 takes the column-list filter gradient: a non-square valid filter, a 5x5 same one with an odd CO (scalar tail).
    { x: [3, 7, 10, 5], f: [2, 3, 5, 9], stride: 1, pad: 'valid' } as ConvCase, { x: [2, 6, 8, 12], f: [5, 5, 12, 19], stride: 1, pad: 'same' } as ConvCase];
  for (const c of SPIKE_CASES) {
    for (const density of [0.05, 0.3]) {
      it(`spike paths (binary input, density ${density}) equal the dense result, forward and filter gradient: x [${c.x}] f [${c.f}] stride ${c.stride} ${c.pad}${c.dilation ? ` dilation ${c.dilation}` : ''}`, () => {
        const x = tf.tidy(() => tf.cast(tf.less(rand(c.x, 61, 0, 1), density), 'float32')) as tf.Tensor4D;
        const w = rand(c.f, 62) as tf.Tensor4D;
        const conv = (ww: tf.Tensor): tf.Tensor4D => tf.conv2d(x, ww as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation ?? 1);
        const g = tf.tidy(() => rand(conv(w).shape, 63));
        // Core's conv gradient refuses dilation (trained layers use 1): a dilated case checks the forward.
        const withGrad = (c.dilation ?? 1) === 1;
        const run = (): tf.Tensor[] => (withGrad ? [conv(w), tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(conv(ww), g)))(w)] : [conv(w)]);
        const runs = withGrad ? [2, 1] : [1, 0];
        const cpu = under('cpu', run);
        const before = { ...spikePathCounts };
        const spike = withSpikeThreshold(1, () => under('deepspike-native', run));
        expect([spikePathCounts.conv - before.conv, spikePathCounts.convFilter - before.convFilter], 'spike paths taken (forward, filter gradient)').to.deep.equal(runs);
        const dense = withSpikeThreshold(0, () => under('deepspike-native', run));
        expect([spikePathCounts.conv - before.conv, spikePathCounts.convFilter - before.convFilter], 'threshold 0: dense only').to.deep.equal(runs);
        ['y', 'dW'].slice(0, spike.length).forEach((name, k) => {
          expect(closeness(spike[k]!, cpu[k]!, 1e-4, 1e-4), `${name} spike path`).to.be.at.most(1);
          expect(closeness(dense[k]!, cpu[k]!, 1e-4, 1e-4), `${name} dense path`).to.be.at.most(1);
        });
        tf.dispose([x, w, g]);
      });
    }
  }

  it('the default filter-gradient threshold depends on the path it competes with: the GEMM (stride 1, stride 2) or the Winograd filter gradient', () => {
    // Over 65 536 values (the size that skips the density sample), 0.4 (or 0.2) of them ones.
    const filterPaths = (c: number, stride: number, density: number): number => {
      const x = tf.tidy(() => tf.cast(tf.less(rand([4, 48, 48, c], 71, 0, 1), density), 'float32')) as tf.Tensor4D;
      const w = rand([3, 3, c, 16], 72) as tf.Tensor4D;
      const before = spikePathCounts.convFilter;
      under('deepspike-native', () => tf.grad((ww: tf.Tensor) => tf.sum(tf.conv2d(x, ww as tf.Tensor4D, stride, 'same')))(w));
      tf.dispose([x, w]);
      return spikePathCounts.convFilter - before;
    };
    const { convFilter, convFilterWinograd, convFilterStrided } = DEFAULT_SPIKE_DENSITY;
    expect([convFilter, convFilterWinograd, convFilterStrided]).to.deep.equal([0.5, 0.3, 0.3]);
    // C = 8: no Winograd, so stride 1 competes with the GEMM (0.5) and stride 2 with it too (0.3).
    expect([filterPaths(8, 1, 0.4), filterPaths(8, 2, 0.4)], 'C = 8').to.deep.equal([1, 0]);
    // C = 16: the Winograd filter gradient takes 0.4, the spike path 0.2.
    expect([filterPaths(16, 1, 0.4), filterPaths(16, 1, 0.2)], 'C = 16').to.deep.equal([0, 1]);
  });

  it('a non-binary input the sample misses is found by the spike kernels, which fall back to the dense result', () => {
    const c = { x: [2, 12, 12, 16], f: [3, 3, 16, 16] } as const;
    // Binary everywhere except one 0.5 off the 1-in-61 sample positions.
    const values = Float32Array.from(tf.tidy(() => tf.cast(tf.less(rand([...c.x], 71, 0, 1), 0.1), 'float32')).dataSync());
    values[62] = 0.5;
    const x = tf.tensor4d(values, [...c.x], 'float32');
    const w = rand([...c.f], 72) as tf.Tensor4D;
    const run = (): tf.Tensor[] => [tf.conv2d(x, w, 1, 'same'), tf.grad((ww: tf.Tensor) => tf.sum(tf.conv2d(x, ww as tf.Tensor4D, 1, 'same')))(w)];
    const cpu = under('cpu', run);
    const before = { ...spikePathCounts };
    const nat = withSpikeThreshold(1, () => under('deepspike-native', run));
    expect(spikePathCounts.fallbacks - before.fallbacks, 'fallbacks').to.equal(3);
    expect([spikePathCounts.conv - before.conv, spikePathCounts.convFilter - before.convFilter]).to.deep.equal([0, 0]);
    expect(closeness(nat[0]!, cpu[0]!, 1e-4, 1e-4), 'y').to.be.at.most(1);
    expect(closeness(nat[1]!, cpu[1]!, 1e-4, 1e-4), 'dW').to.be.at.most(1);
    tf.dispose([x, w]);
  });

  it('matches tf.conv2dTranspose (Conv2DBackpropInput) directly with stride 2', () => {
    const dy = rand([2, 4, 5, 6], 5) as tf.Tensor4D;
    const w = rand([3, 3, 3, 6], 6) as tf.Tensor4D;
    const run = () => tf.conv2dTranspose(dy, w, [2, 8, 9, 3], 2, 'same');
    const [cpu] = under('cpu', run);
    const [nat] = under('deepspike-native', run);
    expect(closeness(nat!, cpu!, VAL.atol, VAL.rtol)).to.be.at.most(1);
    tf.dispose([dy, w]);
  });
});

describe('native AvgPool / MaxPool and their gradients vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  const POOLS: Array<{ x: [number, number, number, number]; k: number; s: number; pad: 'same' | 'valid' }> = [
    { x: [1, 4, 4, 1], k: 2, s: 2, pad: 'valid' },
    { x: [2, 7, 9, 3], k: 2, s: 2, pad: 'same' },
    { x: [3, 9, 9, 5], k: 3, s: 2, pad: 'valid' },
    { x: [2, 8, 8, 64], k: 4, s: 4, pad: 'valid' },
    { x: [1, 5, 7, 3], k: 3, s: 1, pad: 'same' },
    // Windows tiling the input (the gradient's direct path), with a last row and column no window covers.
    { x: [2, 9, 7, 6], k: 2, s: 2, pad: 'valid' },
    { x: [2, 10, 11, 32], k: 3, s: 3, pad: 'valid' },
  ];
  for (const kind of ['avg', 'max'] as const) {
    POOLS.forEach((p, i) => {
      it(`${kind}Pool x [${p.x}] k${p.k} s${p.s} ${p.pad}: values and gradient`, () => {
        const x = rand(p.x, 300 + i) as tf.Tensor4D;
        const pool = (a: tf.Tensor4D) => (kind === 'avg' ? tf.avgPool(a, p.k, p.s, p.pad) : tf.maxPool(a, p.k, p.s, p.pad));
        const run = () => {
          const y = pool(x);
          const g = rand(y.shape, 9 + i);
          const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(pool(a as tf.Tensor4D), g)))([x]);
          return [y, dx as tf.Tensor];
        };
        const cpu = under('cpu', run);
        const nat = under('deepspike-native', run);
        expect(closeness(nat[0]!, cpu[0]!, 1e-6, 1e-6), 'y').to.be.at.most(1);
        expect(closeness(nat[1]!, cpu[1]!, 1e-6, 1e-5), 'dx').to.be.at.most(1);
        x.dispose();
      });
    });
  }
});
