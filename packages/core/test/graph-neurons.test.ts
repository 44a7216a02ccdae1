import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { CubaLIF, InvalidArgumentError, LI, RecurrentNeuron, Registry, cubaLif, deepspikePlugin, initBackend, installPlugin, leakyIntegrate, stbpRectangle, type NeuronLayer } from '@deepspike/core';

const registry = new Registry();
installPlugin(deepspikePlugin, registry);
import { checkGrad, expectClose, expectEqualArrays } from '@deepspike/core/testing';

const wave = (shape: number[], a: number, b: number, f: number): Tensor =>
  tf.tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => a + b * Math.sin(f * i + 0.3)), shape);

function stepLoop(layer: NeuronLayer, x: Tensor): Tensor {
  layer.resetState();
  const out = tf.stack(tf.unstack(x).map((xt) => layer.step(xt)));
  layer.resetState();
  return out;
}

describe('CubaLIF, LI and the recurrent edge', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('CubaLIF follows i = alpha*i + x, u = tau*u*(1-o) + i written out for four steps', () => {
    // alpha 0.5, tau 0.5, vth 1, x = 0.6, 0.6, 0.2, 0.2:
    // i = 0.6, 0.9, 0.65, 0.525; u = 0.6, 0.3 + 0.9 = 1.2 (spike), 0 + 0.65 = 0.65, 0.325 + 0.525 = 0.85.
    const x = tf.tensor2d([[0.6], [0.6], [0.2], [0.2]]);
    const { spikes, u, i } = cubaLif(x, { vth: 1, tau: 0.5, alpha: 0.5, surrogate: stbpRectangle(), detachReset: false });
    expect(Array.from(spikes.dataSync())).to.deep.equal([0, 1, 0, 0]);
    expectClose(i.dataSync(), [0.6, 0.9, 0.65, 0.525], { atol: 1e-6, rtol: 1e-6 }, 'i');
    expectClose(u.dataSync(), [0.6, 1.2, 0.65, 0.85], { atol: 1e-6, rtol: 1e-6 }, 'u');
  });

  it('CubaLIF: a step loop equals the multi-step pass; alpha = 0 is the STBP LIF', () => {
    const x = wave([6, 2, 5], 0.4, 0.6, 1.1);
    const layer = new CubaLIF('c', { vth: 0.5, tau: 0.8, alpha: 0.6 });
    expectEqualArrays(stepLoop(layer, x).dataSync(), layer.forward(x).dataSync(), 'step loop vs forward');
    const lif = registry.get('neuron', 'lif').create({ vth: 0.5, tau: 0.8 }) as NeuronLayer;
    const noSyn = new CubaLIF('c0', { vth: 0.5, tau: 0.8, alpha: 0 });
    expectEqualArrays(noSyn.forward(x).dataSync(), lif.forward(x).dataSync(), 'alpha 0 vs lif');
    expect(tf.sum(layer.forward(x)).dataSync()[0]).to.be.greaterThan(3);
  });

  it('CubaLIF passes checkGrad away from thresholds (loss on u: the leak, the reset gating and the synaptic current)', () => {
    const narrow = stbpRectangle(50); // zero surrogate where every u lies: finite differences see spikes as constant
    const x = wave([5, 2, 3], 0.06, 0.75, 0.9);
    const c = wave([5, 2, 3], 0, 1, 0.9);
    const opts = { vth: 0.5, tau: 0.7, alpha: 0.6, surrogate: narrow, detachReset: false };
    const { spikes, u } = cubaLif(x, opts);
    const margin = Math.min(...Array.from(u.dataSync(), (v) => Math.abs(v - 0.5)));
    expect(margin, 'inputs must stay away from the threshold').to.be.greaterThan(0.03);
    expect(tf.sum(spikes).dataSync()[0], 'some neurons fire and reset').to.be.greaterThan(2);
    checkGrad((xx) => tf.sum(tf.mul(cubaLif(xx, opts).u, c)), [x], { eps: 5e-3, atol: 1e-3, rtol: 1e-3 });
  });

  it('CubaLIF: the surrogate gradient of the spikes equals dL/du times the rectangle (a = 1) at one step', () => {
    const x = tf.tensor2d([[0.7]]);
    const g = tf.grad((xx: Tensor) => tf.sum(cubaLif(xx, { vth: 1, tau: 0.5, alpha: 0.5, surrogate: stbpRectangle(), detachReset: false }).spikes))(x);
    expectClose(g.dataSync(), [1], { atol: 1e-6, rtol: 0 }, 'd o/d x (|0.7 - 1| < 0.5)');
  });

  it('LI integrates without spikes and passes checkGrad', () => {
    const x = tf.tensor2d([[1], [0], [2]]);
    expectClose(new LI('li', { tau: 0.5 }).forward(tf.expandDims(x, 1)).dataSync(), [1, 0.5, 2.25], { atol: 1e-6, rtol: 0 }, 'u');
    const xs = wave([4, 2, 3], 0, 1, 0.8);
    const c = wave([4, 2, 3], 0, 1, 1.9);
    checkGrad((xx) => tf.sum(tf.mul(leakyIntegrate(xx, 0.6), c)), [xs], { eps: 1e-2, atol: 1e-3, rtol: 1e-3 });
    const li = new LI('li', { tau: 0.6 });
    expectClose(stepLoop(li, xs).dataSync(), li.forward(xs).dataSync(), { atol: 1e-6, rtol: 1e-6 }, 'step loop');
  });

  it('refuses decays outside their ranges, naming the layer', () => {
    expect(() => new CubaLIF('syn', { alpha: 1 })).to.throw(InvalidArgumentError, /CubaLIF "syn" \(synaptic decay alpha\)/);
    expect(() => new LI('out', { tau: 1.5 })).to.throw(InvalidArgumentError, /LI "out".*\[0, 1\], got 1.5/);
  });

  it('RecurrentNeuron: o[t] = neuron(x[t] + o[t-1] W + b), the same as a hand-written loop', () => {
    const x = wave([6, 2, 4], 0.3, 0.5, 1.3);
    const layer = new RecurrentNeuron('r', new CubaLIF('neuron', { vth: 0.5, tau: 0.8, alpha: 0.4 }), { features: 4, seed: 3 });
    const got = layer.forward(x);
    const ref = new CubaLIF('ref', { vth: 0.5, tau: 0.8, alpha: 0.4 });
    ref.resetState();
    const os: Tensor[] = [];
    let prev = tf.zeros([2, 4]);
    for (const xt of tf.unstack(x)) {
      prev = ref.step(tf.add(xt, tf.add(tf.matMul(prev, layer.rec.kernel), layer.rec.bias as Tensor)));
      os.push(prev);
    }
    expectEqualArrays(got.dataSync(), tf.stack(os).dataSync(), 'recurrent spikes');
    expect(tf.sum(got).dataSync()[0]).to.be.greaterThan(4);
    expect([...layer.namedParameters().keys()]).to.deep.equal(['rec.kernel', 'rec.bias']);
  });

  it('RecurrentNeuron passes checkGrad in the recurrent weights and the input (STBP through the recurrent edge)', () => {
    // An LI inside keeps the loss smooth, so finite differences see the whole path u[t-1] -> W -> u[t].
    const layer = new RecurrentNeuron('r', new LI('neuron', { tau: 0.5 }), { features: 3, seed: 1 });
    const x = wave([4, 2, 3], 0, 0.8, 1.1);
    const c = wave([4, 2, 3], 0, 1, 0.7);
    const w0 = layer.rec.kernel.clone();
    const f = (w: Tensor, xx: Tensor): Tensor => {
      layer.rec.kernel.assign(w as tf.Tensor2D);
      return tf.sum(tf.mul(layer.forward(xx), c));
    };
    // tf.grads cannot see through assign: differentiate the loss through the variable instead.
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.forward(x), c)) as tf.Scalar, [layer.rec.kernel]);
    const analytic = (grads[layer.rec.kernel.name] as Tensor).dataSync();
    const base = w0.dataSync();
    const eps = 1e-2;
    const numeric = Array.from(base, (_, k) => {
      const at = (d: number): number => tf.tidy(() => f(tf.tensor(Float32Array.from(base, (v, j) => (j === k ? v + d : v)), w0.shape), x).dataSync()[0] as number);
      return (at(eps) - at(-eps)) / (2 * eps);
    });
    layer.rec.kernel.assign(w0 as tf.Tensor2D);
    expect(Math.max(...numeric.map(Math.abs)), 'the recurrent edge matters').to.be.greaterThan(0.05);
    expectClose(analytic, numeric, { atol: 2e-3, rtol: 2e-3 }, 'dL/dW_rec');
    checkGrad((xx) => tf.sum(tf.mul(layer.forward(xx), c)), [x], { eps: 1e-2, atol: 2e-3, rtol: 2e-3 });
  });

  it('the registry builds cubalif and li from their kind names', () => {
    expect(registry.get('neuron', 'cubalif').create({ vth: 1, tau: 0.9, alpha: 0.55 })).to.be.instanceOf(CubaLIF);
    expect((registry.get('neuron', 'cubalif').create({ alpha: 0.55 }) as CubaLIF).alpha).to.equal(0.55);
    expect(registry.get('neuron', 'li').create({ tau: 0.7 })).to.be.instanceOf(LI);
  });
});
