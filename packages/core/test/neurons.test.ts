import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  IF,
  InvalidArgumentError,
  LIF,
  PLIF,
  Registry,
  UnknownEntryError,
  deepspikePlugin,
  initBackend,
  installPlugin,
  lif,
  lifComposite,
  registry,
  stbpRectangle,
  type NeuronLayer,
} from '@deepspike/core';
import { checkGrad, expectClose, expectEqualArrays } from '@deepspike/core/testing';
import { GOLDEN_BACKENDS, onBackend } from './spiking-helpers.js';

/** Deterministic currents [T, N, H, W, C] around the threshold. */
function currents(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, (_, i) => 0.3 + 0.5 * Math.sin(seed + 1.3 * i) * Math.cos(0.7 * i)), shape);
}

function stepLoop(layer: NeuronLayer, x: Tensor): Tensor {
  layer.resetState();
  const out = tf.unstack(x).map((xt) => layer.step(xt));
  layer.resetState();
  return tf.stack(out);
}

describe('neurons', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  for (const backend of GOLDEN_BACKENDS) {
    onBackend(backend, () => {
      const makers: Array<[string, () => NeuronLayer]> = [
        ['LIF', () => new LIF('lif', { vth: 0.5, tau: 0.25 })],
        ['LIF detachReset', () => new LIF('lif', { vth: 0.4, tau: 0.6, detachReset: true })],
        ['IF', () => new IF('if', { vth: 1 })],
        ['PLIF', () => new PLIF('plif', { vth: 0.5, tau: 0.4 })],
      ];
      for (const [label, make] of makers) {
        it(`${label}: a single-step loop equals the multi-step pass (spikes and x-gradients)`, () => {
          const layer = make();
          const x = currents([6, 2, 3, 3, 2], 1);
          const g = currents([6, 2, 3, 3, 2], 5);
          const multi = layer.forward(x);
          const single = stepLoop(layer, x);
          expectEqualArrays(single.dataSync(), multi.dataSync(), 'spikes');
          expect(tf.sum(multi).dataSync()[0]).to.be.greaterThan(0);
          const dMulti = tf.grad((xx: Tensor) => tf.sum(tf.mul(layer.forward(xx), g)))(x);
          const dSingle = tf.grad((xx: Tensor) => tf.sum(tf.mul(stepLoop(layer, xx), g)))(x);
          expectClose(dSingle.dataSync(), dMulti.dataSync(), { atol: 1e-6, rtol: 1e-5 }, 'dx');
          layer.dispose();
        });
      }

      it('IF integrates without leak and resets to 0 (three steps by hand)', () => {
        // vth 1: x = 0.6, 0.6, 0.6 -> u = 0.6, 1.2 (spike), 0 + 0.6.
        const layer = new IF('if', { vth: 1 });
        const s = layer.forward(tf.tensor3d([[[0.6]], [[0.6]], [[0.6]]]));
        expect(Array.from(s.dataSync())).to.deep.equal([0, 1, 0]);
      });

      it('PLIF learns its decay: dL/dw = sigmoid\'(w) * sum_t dL/du[t] * v_post[t-1] (fused LIF gradient)', () => {
        const tau = 0.4;
        const layer = new PLIF('plif', { vth: 0.5, tau });
        const x = currents([5, 2, 4], 3);
        const g = currents([5, 2, 4], 9);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.forward(x), g)) as tf.Scalar, [layer.w]);
        const dw = (grads.w ?? Object.values(grads)[0]) as Tensor;
        // Reference: dL/du[t] equals lif's dL/dx[t]; u[t] = tau*v_post[t-1] + x[t].
        const tauF = tf.sigmoid(layer.w);
        const ref = tf.tidy(() => {
          const opts = { vth: 0.5, tau: tauF.dataSync()[0] as number, surrogate: stbpRectangle() };
          const gu = tf.grad((xx: Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g)))(x);
          const { spikes, u } = lif(x, opts);
          const vPost = tf.mul(u, tf.sub(1, spikes));
          const dTau = tf.sum(tf.mul(tf.slice(gu, [1], [4]), tf.slice(vPost, [0], [4])));
          return tf.mul(dTau, tf.mul(tauF, tf.sub(1, tauF)));
        });
        expect(Math.abs(ref.dataSync()[0] as number)).to.be.greaterThan(1e-3);
        expectClose(dw.dataSync(), ref.dataSync(), { atol: 1e-5, rtol: 1e-4 }, 'dw');
        expect(layer.tau).to.be.closeTo(tau, 1e-7);
        expect([...layer.trainableParameters().keys()]).to.deep.equal(['w']);
        layer.dispose();
      });

      it('PLIF passes checkGrad in w away from thresholds (loss on u)', () => {
        const x = tf.tensor(Float32Array.from({ length: 24 }, (_, i) => 0.14 + 0.6 * Math.sin(1.7 * i)), [4, 2, 3]);
        const c = tf.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.cos(0.9 * i)), [4, 2, 3]);
        const narrow = stbpRectangle(50); // zero surrogate at every sample: finite differences see spikes as constant
        const f = (w: Tensor) => tf.sum(tf.mul(lifComposite(x, { vth: 0.5, tau: tf.sigmoid(w), surrogate: narrow, detachReset: false }).u, c));
        checkGrad(f, [tf.scalar(0)], { eps: 1e-2, atol: 1e-3, rtol: 1e-3 });
      });
    });
  }

  it('PLIF on the fused kernels equals PLIF on composite ops (cpu): spikes, dx, dw, for both detach variants', async () => {
    await initBackend('cpu', { log: () => {} });
    for (const detachReset of [false, true]) {
      const x = currents([6, 2, 3, 4], 11);
      const g = currents([6, 2, 3, 4], 13);
      const run = (implementation: 'fused' | 'composite') => {
        const layer = new PLIF('plif', { vth: 0.45, tau: 0.35, detachReset, implementation });
        const spikes = layer.forward(x).dataSync();
        const dx = tf.grad((xx: Tensor) => tf.sum(tf.mul(layer.forward(xx), g)))(x).dataSync();
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.forward(x), g)) as tf.Scalar, [layer.w]);
        const dw = (Object.values(grads)[0] as Tensor).dataSync();
        layer.dispose();
        return { spikes, dx, dw };
      };
      const f = run('fused');
      const c = run('composite');
      expectEqualArrays(f.spikes, c.spikes, 'spikes');
      expectClose(f.dx, c.dx, { atol: 1e-5, rtol: 1e-4 }, 'dx');
      expectClose(f.dw, c.dw, { atol: 1e-5, rtol: 1e-4 }, 'dw');
      expect(Math.abs(f.dw[0] as number)).to.be.greaterThan(1e-3);
    }
  });

  it('detachReset changes gradients only', () => {
    const x = currents([5, 2, 6], 2);
    const g = currents([5, 2, 6], 7);
    const a = new LIF('a', { vth: 0.5, tau: 0.5 });
    const b = new LIF('b', { vth: 0.5, tau: 0.5, detachReset: true });
    expectEqualArrays(a.forward(x).dataSync(), b.forward(x).dataSync(), 'spikes');
    const da = tf.grad((xx: Tensor) => tf.sum(tf.mul(a.forward(xx), g)))(x).dataSync();
    const db = tf.grad((xx: Tensor) => tf.sum(tf.mul(b.forward(xx), g)))(x).dataSync();
    expect(Array.from(da).some((v, i) => Math.abs(v - (db[i] as number)) > 1e-4)).to.equal(true);
  });

  it('records firing rates and spikes outside tidy, replacing them on the next forward, without leaks', () => {
    const layer = new LIF('lif');
    layer.recordRates = true;
    layer.recordSpikes = true;
    const x = currents([4, 2, 5], 4);
    const spikes = tf.tidy(() => layer.forward(x).dataSync().slice());
    const mean = Array.from(spikes).reduce((s, v) => s + v, 0) / spikes.length;
    expect(layer.lastFiringRate?.isDisposed).to.equal(false);
    expect(layer.lastFiringRate?.dataSync()[0]).to.be.closeTo(mean, 1e-6);
    expectEqualArrays(layer.lastSpikes?.dataSync() ?? [], spikes, 'lastSpikes');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      layer.forward(tf.zeros([4, 2, 5]));
    });
    expect(tf.memory().numTensors).to.equal(before);
    expect(layer.lastFiringRate?.dataSync()[0]).to.equal(0);
    layer.dispose();
    expect(layer.lastFiringRate).to.equal(null);
  });

  it('a step loop without a gradient tape holds only the current state', () => {
    const layer = new LIF('lif');
    const before = tf.memory().numTensors;
    for (let t = 0; t < 10; t++) {
      tf.tidy(() => {
        layer.step(tf.fill([2, 3], 0.3));
      });
    }
    expect(tf.memory().numTensors - before).to.equal(2);
    layer.resetState();
    expect(tf.memory().numTensors).to.equal(before);
  });

  describe('registry entries', () => {
    const reg = new Registry();
    installPlugin(deepspikePlugin, reg);

    it('core registers lif, if, plif, cubalif, li, alpha, lapicque, psn with schema fragments; defaults vth 0.5, tau 0.25, rect a = 1', () => {
      expect(reg.names('neuron')).to.deep.equal(['alpha', 'cubalif', 'if', 'lapicque', 'li', 'lif', 'plif', 'psn']);
      expect(reg.schemas().filter((f) => f.kind === 'neuron').map((f) => f.name)).to.have.members(['lif', 'if', 'plif', 'cubalif', 'li', 'alpha', 'lapicque', 'psn']);
      const l = reg.get('neuron', 'lif').create({}) as LIF;
      expect([l.vth, l.tau, l.detachReset, l.surrogate.name, l.surrogate.params.alpha]).to.deep.equal([0.5, 0.25, false, 'rect', 1]);
      expect(reg.get('neuron', 'plif').create({ tau: 0.25 })).to.be.instanceOf(PLIF);
      expect(reg.get('neuron', 'if').create({ vth: 1 })).to.be.instanceOf(IF);
    });

    it('resolves surrogates by registered name or {name, params}', () => {
      registry.register('surrogate', 'test-linear', { create: (p = {}) => ({ name: 'test-linear', params: { k: p.k ?? 1 }, derivative: () => p.k ?? 1 }) });
      try {
        const l = reg.get('neuron', 'lif').create({ surrogate: { name: 'test-linear', params: { k: 3 } } as never }) as LIF;
        expect(l.surrogate.derivative(10)).to.equal(3);
        expect((reg.get('neuron', 'lif').create({ surrogate: 'test-linear' as never }) as LIF).surrogate.derivative(0)).to.equal(1);
      } finally {
        registry.unregister('surrogate', 'test-linear');
      }
    });

    it('an unknown surrogate name lists the registered surrogates and the plugin that provides them', () => {
      expect(() => reg.get('neuron', 'lif').create({ surrogate: 'rectangel' as never })).to.throw(
        UnknownEntryError,
        /Unknown surrogate "rectangel"\. Registered surrogates: .*First-party surrogates come from @deepspike\/surrogate/,
      );
    });
  });

  describe('bad input', () => {
    it('NCHW given where NHWC is expected (channels declared)', () => {
      const layer = new LIF('lif1', { channels: 4 });
      expect(() => layer.forward(tf.zeros([2, 1, 4, 8, 8]))).to.throw(
        InvalidArgumentError,
        'LIF "lif1".forward: x has 8 channels on the last axis, got shape [2, 1, 4, 8, 8]; expected 4 channels last ([T, N, H, W, C]). The input looks channels-first ([T, N, C, H, W]); transpose it with tf.transpose(x, [0, 1, 3, 4, 2]).',
      );
      expect(() => layer.forward(tf.zeros([2, 8, 8, 4]))).to.throw(InvalidArgumentError, /has rank 4, got shape \[2, 8, 8, 4\]; expected rank 5/);
    });
    it('a sequence without its time axis', () => {
      expect(() => new LIF('n').forward(tf.zeros([8, 4]))).to.throw(InvalidArgumentError, /LIF "n".forward: x has rank 2, got shape \[8, 4\]; expected rank >= 3/);
    });
    it('vth <= 0, tau outside [0, 1), PLIF tau = 0', () => {
      expect(() => new LIF('n', { vth: 0 })).to.throw(InvalidArgumentError, /LIF "n": the threshold vth must be a finite number > 0, got 0/);
      expect(() => new IF('n', { vth: -0.5 })).to.throw(InvalidArgumentError, /IF "n": the threshold vth must be a finite number > 0, got -0.5/);
      expect(() => new LIF('n', { tau: 1.5 })).to.throw(InvalidArgumentError, /LIF "n": the decay tau must lie in \[0, 1\), got 1.5/);
      expect(() => new PLIF('n', { tau: 0 })).to.throw(InvalidArgumentError, /PLIF "n": the decay tau must lie in \(0, 1\), got 0/);
    });
    it('a malformed surrogate spec, and a step of the wrong shape', () => {
      expect(() => new LIF('n', { surrogate: 42 as never })).to.throw(InvalidArgumentError, /LIF "n": surrogate must be a Surrogate, a registered name or \{name, params\}, got 42/);
      const layer = new LIF('n');
      layer.step(tf.zeros([2, 3]));
      expect(() => layer.step(tf.zeros([3, 2]))).to.throw(InvalidArgumentError, /step input has shape \[3, 2\].*expected \[2, 3\]/);
      layer.resetState();
    });
  });
});
