import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@deepspike/core';
import { BatchNormThroughTime, fold, foldToThreshold, messages, TdBN, tdbn, TemporalEffectiveBN } from '@deepspike/tdbn';
import { useBackend } from './helpers.js';

/** Runs f and returns the InvalidArgumentError message it throws. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).to.be.instanceOf(InvalidArgumentError);
    return (err as Error).message;
  }
  throw new Error('expected an InvalidArgumentError, nothing was thrown');
}

describe('bad input: clear errors in the house format', () => {
  before(() => useBackend('cpu'));
  const lambda = tf.ones([4]);
  const beta = tf.zeros([4]);
  const ok = { alpha: 1, vth: 0.5, lambda, beta };
  after(() => tf.dispose([lambda, beta]));

  it('tdbn: wrong rank', () => {
    const x = tf.zeros([2, 3, 4, 4]);
    expect(errorOf(() => tdbn(x, ok))).to.equal(
      'tdbn: x has rank 4, got shape [2, 3, 4, 4]; expected rank 5 [T, N, H, W, C] or rank 3 [T, N, C] (time first, channels last). ' +
        'Add the time axis first, e.g. repeatOverTime(x, T), and keep channels last.',
    );
    x.dispose();
  });

  it('tdbn: NCHW input gets a transpose hint', () => {
    const x = tf.zeros([2, 3, 4, 5, 6]);
    const msg = errorOf(() => tdbn(x, ok));
    expect(msg).to.equal(messages.channels('tdbn', 'lambda', [4], [2, 3, 4, 5, 6], true));
    expect(msg).to.equal(
      'tdbn: lambda has shape [4] but x has 6 channels on its last axis, got x [2, 3, 4, 5, 6]; expected lambda of shape [6] ' +
        '(one value per channel of x, channels last). The input looks channels-first ([T, N, C, H, W]); transpose it with tf.transpose(x, [0, 1, 3, 4, 2]).',
    );
    x.dispose();
  });

  it('tdbn: lambda / beta shape mismatch', () => {
    const x = tf.zeros([2, 3, 4]);
    const b3 = tf.zeros([3]);
    expect(errorOf(() => tdbn(x, { ...ok, beta: b3 }))).to.equal(
      'tdbn: beta has shape [3] but x has 4 channels on its last axis, got x [2, 3, 4]; expected beta of shape [4] ' +
        '(one value per channel of x, channels last). Build beta with one value per channel of x.',
    );
    const l2 = tf.ones([1, 4]);
    expect(errorOf(() => tdbn(x, { ...ok, lambda: l2 }))).to.match(/^tdbn: lambda has shape \[1, 4\] but x has 4 channels/);
    tf.dispose([x, b3, l2]);
  });

  it('tdbn: alpha <= 0, vth <= 0, bad epsilon, wrong dtype', () => {
    const x = tf.zeros([2, 3, 4]);
    expect(errorOf(() => tdbn(x, { ...ok, alpha: 0 }))).to.equal(
      'tdbn: alpha must be a finite number > 0 (tdBN scale: 1 on a plain path, 1/sqrt(2) per residual branch), got 0; expected > 0. Pass a positive alpha.',
    );
    expect(errorOf(() => tdbn(x, { ...ok, vth: -0.5 }))).to.equal(
      'tdbn: vth must be a finite number > 0 (the firing threshold of the neurons fed), got -0.5; expected > 0. Pass a positive vth.',
    );
    expect(errorOf(() => tdbn(x, { ...ok, vth: NaN }))).to.match(/^tdbn: vth must be a finite number > 0 .*got NaN/);
    expect(errorOf(() => tdbn(x, { ...ok, epsilon: -1 }))).to.equal(
      'tdbn: epsilon must be a finite number >= 0, got -1; expected >= 0 (default 1e-5). Pass a small non-negative epsilon.',
    );
    const xi = tf.zeros([2, 3, 4], 'int32');
    expect(errorOf(() => tdbn(xi, ok))).to.equal("tdbn: x has dtype int32, got int32; expected float32. Cast it with tf.cast(x, 'float32').");
    tf.dispose([x, xi]);
  });

  it('tdbn: the fused implementation on a backend without the kernel', async () => {
    await useBackend('wasm');
    const x = tf.zeros([2, 3, 4]);
    try {
      expect(errorOf(() => tdbn(x, { ...ok, implementation: 'fused' }))).to.equal(
        'tdbn: the fused implementation was requested, got backend "wasm" without the DeepSpikeTdBN kernel; ' +
          "expected a backend that registers it (cpu, deepspike-native). Pass implementation: 'auto' or 'composite'.",
      );
    } finally {
      x.dispose();
      await useBackend('cpu');
    }
  });

  it('layers: bad options and NCHW input', () => {
    expect(errorOf(() => new TdBN('bn1', { channels: 4, alpha: -1 }))).to.match(/^TdBN "bn1": alpha must be a finite number > 0 .*got -1/);
    expect(errorOf(() => new TdBN('bn1', { channels: 4, vth: 0 }))).to.match(/^TdBN "bn1": vth must be a finite number > 0 .*got 0/);
    expect(errorOf(() => new TdBN('bn1', { channels: 0 }))).to.match(/^TdBN "bn1": channels must be a positive integer, got 0/);
    expect(errorOf(() => new TdBN('bn1', { channels: 4, momentum: 2 }))).to.match(/^TdBN "bn1": momentum must be in \[0, 1\], got 2/);
    const layer = new TdBN('bn1', { channels: 4 });
    const nchw = tf.zeros([2, 3, 4, 5, 5]);
    expect(errorOf(() => layer.forward(nchw))).to.equal(
      'TdBN "bn1".forward: x has 5 channels on the last axis, got shape [2, 3, 4, 5, 5]; expected 4 channels last ([T, N, H, W, C] or [T, N, C]). ' +
        'The input looks channels-first ([T, N, C, H, W]); transpose it with tf.transpose(x, [0, 1, 3, 4, 2]).',
    );
    const one = tf.zeros([1, 1, 4]);
    expect(errorOf(() => layer.forward(one))).to.match(/^TdBN "bn1".forward: training mode needs more than one value per channel, got 1/);
    const bntt = new BatchNormThroughTime('b', { channels: 4, timesteps: 3 });
    const tebn = new TemporalEffectiveBN('e', { channels: 4, timesteps: 3 });
    const x2 = tf.zeros([2, 3, 4]);
    expect(errorOf(() => bntt.forward(x2))).to.equal(
      'BatchNormThroughTime "b".forward: x has 2 time steps, got shape [2, 3, 4]; expected 3 time steps on axis 0 ' +
        '(this norm keeps statistics and parameters per step). Build the layer with timesteps: 2, or feed T=3.',
    );
    expect(errorOf(() => tebn.forward(x2))).to.match(/^TemporalEffectiveBN "e".forward: x has 2 time steps/);
    tf.dispose([nchw, one, x2]);
    for (const l of [layer, bntt, tebn]) l.dispose();
  });

  it('fold: PyTorch weight layouts, bias shape; foldToThreshold names channels with g <= 0', () => {
    const norm = new TdBN('bn', { channels: 4 });
    norm.lambda.assign(tf.tensor1d([1, -2, 0.5, -0.1]));
    const torchConv = tf.zeros([4, 3, 3, 3]);
    expect(errorOf(() => fold(torchConv, null, norm))).to.equal(
      'fold: the weight has shape [4, 3, 3, 3], got 3 output channels on the last axis; expected a conv weight [kh, kw, cin, 4] ' +
        'or a linear weight [in, 4]. It looks like a PyTorch [cout, cin, kh, kw] weight; transpose it with tf.transpose(w, [2, 3, 1, 0]).',
    );
    const torchLinear = tf.zeros([4, 7]);
    expect(errorOf(() => fold(torchLinear, null, norm))).to.match(/It looks like a PyTorch \[out, in\] weight; transpose it with tf.transpose\(w\)\.$/);
    const w = tf.zeros([3, 3, 2, 4]);
    const b = tf.zeros([3]);
    expect(errorOf(() => fold(w, b, norm))).to.equal(
      "fold: the bias has shape [3], got 3; expected [4]. Pass the layer's bias, or null when it has none.",
    );
    const g = 0.5 / Math.sqrt(1 + 1e-5);
    expect(errorOf(() => foldToThreshold(w, null, norm))).to.equal(
      `foldToThreshold: the folded gain g = lambda*alpha*Vth/sqrt(var+eps) is not positive for channel(s) 1 (g = ${Math.fround(-2 * g)}), ` +
        `3 (g = ${Math.fround(-0.1 * g)}), got 2 such channel(s); expected g > 0 on every channel (a threshold Vth/g needs a positive gain). ` +
        'Use fold(), which folds g into the weights and accepts any sign.',
    );
    tf.dispose([torchConv, torchLinear, w, b]);
    norm.dispose();
  });
});
