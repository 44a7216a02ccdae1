import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, InvalidArgumentError, LIF, registry, installPlugin } from '@deepspike/core';
import { AdaptiveLIF, adaptiveLif, deepspikePlugin, triangle, alifMessages } from '../src/index.js';

/** Plain-double reference of the adaptive LIF on one neuron (the equations of the JSDoc). */
function reference(xs: number[], p: { vth: number; tau: number; beta: number; rho: number }): { o: number[]; theta: number[] } {
  let u = 0, a = 0, o = 0;
  const os: number[] = [], thetas: number[] = [];
  xs.forEach((x, t) => {
    if (t === 0) { u = x; a = 0; } else { u = p.tau * u * (1 - o) + x; a = p.rho * a + p.beta * o; }
    o = u - p.vth - a >= 0 ? 1 : 0;
    os.push(o); thetas.push(p.vth + a);
  });
  return { o: os, theta: thetas };
}

describe('AdaptiveLIF', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    installPlugin(deepspikePlugin);
  });

  it('follows the hand-computed dynamics: the threshold rises by beta after a spike and decays by rho', () => {
    // vth 0.5, tau 0.25, beta 0.3, rho 0.5, x = 0.6 each step:
    // t0: u 0.6, theta 0.5 -> spike; t1: u 0.6, a 0.3, theta 0.8 -> none;
    // t2: u 0.25*0.6 + 0.6 = 0.75, a 0.15, theta 0.65 -> spike; t3: u 0.6, a 0.075 + 0.3, theta 0.875 -> none.
    const x = tf.fill([4, 1, 1], 0.6);
    const r = adaptiveLif(x, { vth: 0.5, tau: 0.25, beta: 0.3, rho: 0.5, surrogate: triangle(), detachReset: false });
    expect(Array.from(r.spikes.dataSync())).to.deep.equal([1, 0, 1, 0]);
    const u = Array.from(r.u.dataSync());
    [0.6, 0.6, 0.75, 0.6].forEach((v, i) => expect(u[i]).to.be.closeTo(v, 1e-6));
    const th = Array.from(r.theta.dataSync());
    [0.5, 0.8, 0.65, 0.875].forEach((v, i) => expect(th[i]).to.be.closeTo(v, 1e-6));
    tf.dispose([x, r.spikes, r.u, r.theta]);
  });

  it('matches a plain-double reference on random currents', () => {
    const T = 12, n = 50;
    const data = Array.from({ length: T * n }, (_, i) => Math.sin(i * 12.9898) * 0.9 + 0.3);
    const p = { vth: 0.5, tau: 0.3, beta: 0.25, rho: 0.8 };
    const spikes = new AdaptiveLIF('a', p).forward(tf.tensor(data, [T, n, 1])).dataSync();
    for (let j = 0; j < n; j++) {
      const ref = reference(Array.from({ length: T }, (_, t) => data[t * n + j] as number), p);
      expect(Array.from({ length: T }, (_, t) => spikes[t * n + j])).to.deep.equal(ref.o);
    }
  });

  it('with beta = 0 gives the same spikes as the STBP LIF of @deepspike/core', () => {
    const x = tf.randomNormal([6, 3, 4, 4, 2], 0.4, 0.5, 'float32', 7);
    const a = new AdaptiveLIF('a', { beta: 0, vth: 0.5, tau: 0.25 }).forward(x);
    const b = new LIF('b', { vth: 0.5, tau: 0.25 }).forward(x);
    expect(Array.from(a.dataSync())).to.deep.equal(Array.from(b.dataSync()));
    expect(tf.sum(a).dataSync()[0]).to.be.greaterThan(0);
    tf.dispose([x, a, b]);
  });

  it('a loop of step() equals forward() and does not leak', () => {
    const x = tf.randomNormal([5, 2, 8], 0.5, 0.6, 'float32', 3);
    const layer = new AdaptiveLIF('s', { beta: 0.4, rho: 0.7 });
    const whole = layer.forward(x);
    const before = tf.memory().numTensors;
    const steps = tf.unstack(x).map((xt) => { const o = layer.step(xt); xt.dispose(); return o; });
    const looped = tf.stack(steps);
    expect(Array.from(looped.dataSync())).to.deep.equal(Array.from(whole.dataSync()));
    tf.dispose(steps);
    looped.dispose();
    layer.resetState();
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([x, whole]);
    layer.dispose();
  });

  it('backpropagates through the adaptation as written out for two steps', () => {
    // o1 = H(v1), v1 = tau*u0*(1-o0) + x1 - vth - beta*o0, u0 = x0, o0 = H(x0 - vth):
    // do1/dx0 = g'(v1) * (tau*(1-o0) - tau*x0*g'(v0) - beta*g'(v0)), do1/dx1 = g'(v1).
    const p = { vth: 0.5, tau: 0.25, beta: 0.3, rho: 0.6, surrogate: triangle({ alpha: 1 }), detachReset: false };
    const x0 = 0.7, x1 = 0.45;
    const g = (v: number) => p.surrogate.derivative(v);
    const o0 = 1, v0 = x0 - p.vth, v1 = p.tau * x0 * (1 - o0) + x1 - p.vth - p.beta * o0;
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.slice(adaptiveLif(x, p).spikes, 1, 1)))(tf.tensor([x0, x1], [2, 1]));
    const [d0, d1] = Array.from(dx.dataSync());
    expect(d0).to.be.closeTo(g(v1) * (p.tau * (1 - o0) - p.tau * x0 * g(v0) - p.beta * g(v0)), 1e-6);
    expect(d1).to.be.closeTo(g(v1), 1e-6);
    expect(d0).to.not.equal(0);
    dx.dispose();
  });

  it('is created from the registry with the model-file options', () => {
    const layer = registry.get('neuron', 'adaptive-lif').create({ vth: 0.4, tau: 0.5, beta: 0.1, rho: 0.3, surrogate: registry.get('surrogate', 'triangle').create({ alpha: 0.5 }), name: 'n1' }) as AdaptiveLIF;
    expect(layer).to.be.instanceOf(AdaptiveLIF);
    expect([layer.name, layer.vth, layer.tau, layer.beta, layer.rho, layer.surrogate.name, layer.surrogate.params.alpha]).to.deep.equal(['n1', 0.4, 0.5, 0.1, 0.3, 'triangle', 0.5]);
    expect(layer.hardwareNeuron()).to.deep.equal({ model: 'lif', decay: 0.5, threshold: 0.4, adaptation: { beta: 0.1, rho: 0.3 } });
  });

  it('rejects out-of-range options with the house message', () => {
    expect(() => new AdaptiveLIF('bad', { beta: -0.1 })).to.throw(InvalidArgumentError, alifMessages.option('AdaptiveLIF "bad"', 'beta', -0.1, '>= 0'));
    expect(() => new AdaptiveLIF('bad', { rho: 1 })).to.throw(InvalidArgumentError, alifMessages.option('AdaptiveLIF "bad"', 'rho', 1, 'in [0, 1)'));
    expect(() => new AdaptiveLIF('bad', { vth: 0 })).to.throw(InvalidArgumentError, /option "vth" is out of range, got 0; expected > 0/);
  });
});
