import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { lif, mergeTime, splitTime, type Surrogate } from '@deepspike/core';
import { expectClose, expectEqualArrays } from '@deepspike/core/testing';
import { fold, foldToThreshold, TdBN } from '@deepspike/tdbn';
import { BACKENDS, randn, randnTensor, useBackend } from './helpers.js';

const T = 4;
const TAU = 0.25;
/** The paper's rectangle (a = 1); only the forward (spikes) matters here. */
const RECT: Surrogate = { name: 'rect', params: { alpha: 1 }, derivative: (x) => (Math.abs(x) < 0.5 ? 1 : 0) };

/**
 * STBP LIF written out: `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`, `o[t] = u[t] >= vth[c]`, with a
 * threshold per channel (core's `lif` takes one scalar vth; foldToThreshold needs one per channel).
 * @param x [T, ..., C] flat currents; `vth` per channel (last axis)
 * @returns spikes and the smallest |u - vth| seen
 */
function lifSpikes(x: ArrayLike<number>, timesteps: number, c: number, vth: ArrayLike<number>): { spikes: Uint8Array; margin: number } {
  const per = x.length / timesteps;
  const spikes = new Uint8Array(x.length);
  const u = new Float32Array(per);
  const o = new Uint8Array(per);
  let margin = Infinity;
  for (let t = 0; t < timesteps; t++) {
    for (let i = 0; i < per; i++) {
      const ui = Math.fround(Math.fround(TAU * (u[i] as number)) * (1 - (o[i] as number)) + (x[t * per + i] as number));
      const th = vth[i % c] as number;
      u[i] = ui;
      o[i] = ui >= th ? 1 : 0;
      spikes[t * per + i] = o[i] as number;
      margin = Math.min(margin, Math.abs(ui - th));
    }
  }
  return { spikes, margin };
}

/** A TdBN in inference mode with random running stats and lambda of both signs. */
function randomNorm(c: number, seed: number, positive = false): TdBN {
  const norm = new TdBN('bn', { channels: c, alpha: Math.SQRT1_2, vth: 0.5 });
  const lam = randn(c, seed, 0, 1.2).map((v, i) => (positive ? 0.3 + Math.abs(v) : i % 2 === 0 ? Math.abs(v) + 0.2 : -Math.abs(v) - 0.2));
  norm.lambda.assign(tf.tensor1d(lam));
  norm.beta.assign(tf.tensor1d(randn(c, seed + 1, 0.3, 0.4)));
  norm.runningMean.assign(tf.tensor1d(randn(c, seed + 2, 0.2, 0.8)));
  norm.runningVar.assign(tf.tensor1d(randn(c, seed + 3).map((v) => 0.2 + v * v)));
  norm.setTraining(false);
  return norm;
}

for (const backend of BACKENDS) {
  describe(`folding tdBN into the conv/linear layer before it (${backend})`, () => {
    before(() => useBackend(backend));

    it('foldingFactors() is the inference-mode map y = scale*x + shift', () => {
      const norm = randomNorm(5, 50);
      const x = randnTensor([T, 3, 5], 51);
      const y = norm.forward(x);
      const { scale, shift } = norm.foldingFactors();
      expectClose(y.dataSync(), Array.from(x.dataSync(), (v, i) => scale[i % 5]! * v + shift[i % 5]!), { atol: 1e-6, rtol: 1e-5 });
      tf.dispose([x, y]);
      norm.dispose();
    });

    it('conv -> tdBN (inference, lambda of both signs) equals the folded conv, and LIF spike trains are identical', () => {
      const [n, h, w, cin, c] = [3, 6, 6, 3, 6];
      const norm = randomNorm(c, 60);
      expect(Array.from(norm.lambda.dataSync()).some((v) => v < 0)).to.equal(true);
      const x = randnTensor([T, n, h, w, cin], 61, 0.2, 1);
      const kernel = randnTensor([3, 3, cin, c], 62, 0, 0.4);
      const bias = randnTensor([c], 63, 0, 0.5);
      const conv = (k: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        tf.tidy(() => splitTime(tf.add(tf.conv2d(mergeTime(x) as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'), b), T));
      const z = conv(kernel, bias);
      const reference = norm.forward(z);
      const folded = fold(kernel, bias, norm);
      expect(folded.weight.shape).to.deep.equal(kernel.shape);
      const viaMethod = norm.fold(kernel, bias);
      expectEqualArrays(viaMethod.weight.dataSync(), folded.weight.dataSync(), 'method weight');
      expectEqualArrays(viaMethod.bias.dataSync(), folded.bias.dataSync(), 'method bias');
      tf.dispose([viaMethod.weight, viaMethod.bias]);
      const y = conv(folded.weight, folded.bias);
      const yRef = reference.dataSync();
      const scaleMax = Math.max(...Array.from(yRef, Math.abs));
      expectClose(y.dataSync(), yRef, { atol: 4e-7 * scaleMax, rtol: 1e-5 }, 'folded conv');
      // Spike trains through core's lif, cross-checked against the loop written out above.
      const sRef = lif(reference, { vth: norm.vth, tau: TAU, surrogate: RECT });
      const sFold = lif(y, { vth: norm.vth, tau: TAU, surrogate: RECT });
      expectEqualArrays(sFold.spikes.dataSync(), sRef.spikes.dataSync(), 'spikes (lif)');
      const vth = new Float32Array(c).fill(norm.vth);
      const a = lifSpikes(yRef, T, c, vth);
      const b = lifSpikes(y.dataSync(), T, c, vth);
      expectEqualArrays(b.spikes, a.spikes, 'spikes (loop)');
      expectEqualArrays(a.spikes, sRef.spikes.dataSync(), 'loop vs lif');
      tf.dispose([sRef.spikes, sRef.u, sFold.spikes, sFold.u]);
      const rate = a.spikes.reduce((s, v) => s + v, 0) / a.spikes.length;
      expect(rate).to.be.within(0.05, 0.6);
      expect(a.margin).to.be.greaterThan(1e-5);
      tf.dispose([x, kernel, bias, z, reference, folded.weight, folded.bias, y]);
      norm.dispose();
    });

    it('linear -> tdBN equals the folded linear layer (no bias)', () => {
      const norm = randomNorm(4, 70);
      const x = randnTensor([T, 5, 7], 71);
      const kernel = randnTensor([7, 4], 72, 0, 0.5);
      const lin = (k: tf.Tensor, b?: tf.Tensor): tf.Tensor =>
        tf.tidy(() => {
          const m = tf.matMul(tf.reshape(x, [T * 5, 7]), k);
          return tf.reshape(b ? tf.add(m, b) : m, [T, 5, 4]);
        });
      const z = lin(kernel);
      const reference = norm.forward(z);
      const folded = norm.fold(kernel); // the layer's method, as the issue spells it
      const y = lin(folded.weight, folded.bias);
      expectClose(y.dataSync(), reference.dataSync(), { atol: 2e-6, rtol: 1e-5 }, 'folded linear');
      tf.dispose([x, kernel, z, reference, folded.weight, folded.bias, y]);
      norm.dispose();
    });

    it('foldToThreshold keeps W and gives the same spikes with per-channel thresholds Vth/g', () => {
      const [n, h, w, cin, c] = [2, 5, 5, 2, 4];
      const norm = randomNorm(c, 80, true);
      const x = randnTensor([T, n, h, w, cin], 81, 0.3, 1);
      const kernel = randnTensor([3, 3, cin, c], 82, 0, 0.4);
      const bias = randnTensor([c], 83, 0, 0.5);
      const conv = (k: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        tf.tidy(() => splitTime(tf.add(tf.conv2d(mergeTime(x) as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'), b), T));
      const reference = tf.tidy(() => norm.forward(conv(kernel, bias)));
      const folded = foldToThreshold(kernel, bias, norm);
      expectEqualArrays(folded.weight.dataSync(), kernel.dataSync(), 'weight kept');
      const { scale } = norm.foldingFactors();
      expectClose(folded.threshold, Array.from(scale, (g) => 0.5 / g), { atol: 0, rtol: 1e-6 }, 'threshold');
      const z = conv(folded.weight, folded.bias);
      const a = lifSpikes(reference.dataSync(), T, c, new Float32Array(c).fill(0.5));
      const b = lifSpikes(z.dataSync(), T, c, folded.threshold);
      expectEqualArrays(b.spikes, a.spikes, 'spikes');
      expect(a.spikes.reduce((s, v) => s + v, 0) / a.spikes.length).to.be.within(0.05, 0.6);
      tf.dispose([x, kernel, bias, reference, folded.weight, folded.bias, z]);
      norm.dispose();
    });
  });
}
