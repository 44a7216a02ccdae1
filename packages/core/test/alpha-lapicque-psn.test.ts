import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  Alpha, InvalidArgumentError, Lapicque, PSN, Registry, alphaMembraneGain, alphaNeuron, deepspikePlugin, initBackend, installPlugin, lapicque, psn, stbpRectangle,
  type NeuronLayer,
} from '@deepspike/core';
import { expectClose, expectEqualArrays, goldenTensor, testdataDir, type GoldenTensor } from '@deepspike/core/testing';

const registry = new Registry();
installPlugin(deepspikePlugin, registry);

/** testdata/neurons/<name>, written by tools/golden_neurons.py (PyTorch). */
const load = <T>(name: string): T => JSON.parse(readFileSync(join(testdataDir(), 'neurons', name), 'utf8')) as T;
const FWD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };

interface Case { vth: number; detach_reset: boolean; o: GoldenTensor; u: GoldenTensor; grad_x: GoldenTensor; spike_rate: number }
interface AlphaCase extends Case { alpha: number; beta: number; tau_alpha: number }
interface LapicqueCase extends Case { resistance: number; capacitance: number; time_step: number; reset: 'subtract' | 'zero'; k: number; gain: number }
interface NeuronGolden<C> { x: GoldenTensor; g: GoldenTensor; gu: GoldenTensor; cases: C[] }

function stepLoop(layer: NeuronLayer, x: Tensor): Tensor {
  layer.resetState();
  const out = tf.stack(tf.unstack(x).map((xt) => layer.step(xt)));
  layer.resetState();
  return out;
}

/** Checks o, u and dL/dx of L = sum(o*g) + sum(u*gu) against one golden case. */
function checkCase(run: (x: Tensor) => { spikes: Tensor; u: Tensor }, golden: NeuronGolden<Case>, c: Case, label: string): void {
  const [x, g, gu] = [goldenTensor(golden.x), goldenTensor(golden.g), goldenTensor(golden.gu)];
  const { spikes, u } = run(x);
  expectEqualArrays(spikes.dataSync(), c.o.data, `${label} spikes`);
  expectClose(u.dataSync(), c.u.data, FWD, `${label} u`);
  const gx = tf.grad((xx: Tensor) => {
    const r = run(xx);
    return tf.add(tf.sum(tf.mul(r.spikes, g)), tf.sum(tf.mul(r.u, gu)));
  })(x);
  expectClose(gx.dataSync(), c.grad_x.data, GRAD, `${label} grad_x`);
}

describe('Alpha, Lapicque and PSN neurons against PyTorch (testdata/neurons)', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  describe('Alpha (snnTorch Alpha, reset to zero)', () => {
    const golden = load<NeuronGolden<AlphaCase>>('alpha.json');

    it('matches alpha.json: spikes exactly, u and dL/dx (both detach variants, two decay pairs)', () => {
      expect(golden.cases).to.have.length(4);
      for (const c of golden.cases) {
        expect(c.spike_rate, 'the golden case fires').to.be.greaterThan(0.1);
        expectClose([alphaMembraneGain(c.alpha, c.beta)], [c.tau_alpha], { atol: 1e-6, rtol: 1e-6 }, 'tau_alpha');
        const opts = { vth: c.vth, alpha: c.alpha, beta: c.beta, surrogate: stbpRectangle(), detachReset: c.detach_reset };
        checkCase((x) => alphaNeuron(x, opts), golden, c, `alpha ${c.alpha}/${c.beta} detach ${c.detach_reset}`);
      }
      // The detach variants differ in the gradient only.
      expect(golden.cases[0]?.grad_x.data).to.not.deep.equal(golden.cases[1]?.grad_x.data);
    });

    it('the registry entry builds it from DSL options; a step loop equals forward', () => {
      const c = golden.cases[0] as AlphaCase;
      const layer = registry.get('neuron', 'alpha').create({ vth: c.vth, alpha: c.alpha, beta: c.beta, tau: 0.25, surrogate: stbpRectangle() }) as NeuronLayer;
      expect(layer).to.be.instanceOf(Alpha);
      const x = goldenTensor(golden.x);
      expectEqualArrays(layer.forward(x).dataSync(), c.o.data, 'forward');
      expectEqualArrays(stepLoop(layer, x).dataSync(), c.o.data, 'step loop');
    });

    it('a pulse reaches u one step later, then rises and decays (written out)', () => {
      // alpha .5, beta .25, x = [1, 0, 0]: e = 1, .5, .25; i = -1, -.25, -.0625; tau_a = log .5/(log .25 - log .5) + 1 = 0.
      // tau_alpha is 0 there, so use alpha .8, beta .4: tau_a = log .8/(log .4 - log .8) + 1 = 1.32193.
      const ta = alphaMembraneGain(0.8, 0.4);
      const { u } = alphaNeuron(tf.tensor2d([[1], [0], [0]]), { vth: 10, alpha: 0.8, beta: 0.4, surrogate: stbpRectangle(), detachReset: false });
      expectClose(u.dataSync(), [0, ta * (0.8 - 0.4), ta * (0.64 - 0.16)], { atol: 1e-6, rtol: 1e-6 }, 'u');
    });

    it('rejects decays with alpha <= beta, naming both', () => {
      expect(() => new Alpha('a', { alpha: 0.5, beta: 0.6 })).to.throw(InvalidArgumentError, /Alpha "a": the current decays must satisfy 0 < beta < alpha < 1, got alpha 0.5, beta 0.6/);
    });
  });

  describe('Lapicque (snnTorch Lapicque, RC circuit)', () => {
    const golden = load<NeuronGolden<LapicqueCase>>('lapicque.json');

    it('matches lapicque.json: both resets, both detach variants, two RC circuits', () => {
      expect(golden.cases).to.have.length(8);
      for (const c of golden.cases) {
        expect(c.spike_rate, 'the golden case fires').to.be.greaterThan(0.05);
        const opts = { vth: c.vth, resistance: c.resistance, capacitance: c.capacitance, timeStep: c.time_step, reset: c.reset, surrogate: stbpRectangle(), detachReset: c.detach_reset };
        checkCase((x) => lapicque(x, opts), golden, c, `lapicque R ${c.resistance} C ${c.capacitance} ${c.reset} detach ${c.detach_reset}`);
      }
    });

    it('builds from R, C, dt (registry); a step loop equals forward; tau alone sets the leak k', () => {
      const c = golden.cases[0] as LapicqueCase;
      const layer = registry.get('neuron', 'lapicque').create({ vth: c.vth, tau: 0.25, resistance: c.resistance, capacitance: c.capacitance, timeStep: c.time_step, reset: c.reset, surrogate: stbpRectangle() }) as Lapicque;
      expect(layer.factors.k).to.be.closeTo(c.k, 1e-7);
      expect(layer.factors.g).to.be.closeTo(c.gain, 1e-7);
      const x = goldenTensor(golden.x);
      expectEqualArrays(layer.forward(x).dataSync(), c.o.data, 'forward');
      expectEqualArrays(stepLoop(layer, x).dataSync(), c.o.data, 'step loop');
      const fromTau = new Lapicque('l', { tau: 0.75, timeStep: 0.5 });
      expect(fromTau.resistance).to.equal(1);
      expect(fromTau.factors.k).to.be.closeTo(0.75, 1e-12);
      expect(fromTau.capacitance).to.be.closeTo(2, 1e-12);
    });

    it('rejects a time step longer than R*C', () => {
      expect(() => new Lapicque('l', { resistance: 1, capacitance: 0.5, timeStep: 1 })).to.throw(InvalidArgumentError, /Lapicque "l": the time step must not exceed R\*C, got timeStep 1 and R\*C 0.5/);
      expect(() => new Lapicque('l', { reset: 'none' as 'zero' })).to.throw(InvalidArgumentError, /reset must be "subtract" or "zero", got "none"/);
    });
  });

  describe('PSN (Fang et al. 2023, SpikingJelly PSN)', () => {
    const golden = load<{ T: number; vth: number; x: GoldenTensor; weight: GoldenTensor; bias: GoldenTensor; g: GoldenTensor; gu: GoldenTensor; o: GoldenTensor; h: GoldenTensor; grad_x: GoldenTensor; grad_weight: GoldenTensor; grad_bias: GoldenTensor }>('psn.json');

    it('matches psn.json: spikes, H = W·X + B and the gradients of x, W and B', () => {
      const [x, w, b, g, gu] = [golden.x, golden.weight, golden.bias, golden.g, golden.gu].map(goldenTensor) as [Tensor, Tensor, Tensor, Tensor, Tensor];
      const opts = { vth: golden.vth, surrogate: stbpRectangle() };
      const { spikes, h } = psn(x, w, b, opts);
      expectEqualArrays(spikes.dataSync(), golden.o.data, 'spikes');
      expectClose(h.dataSync(), golden.h.data, FWD, 'h');
      const [gx, gw, gb] = tf.grads((xx: Tensor, ww: Tensor, bb: Tensor) => {
        const r = psn(xx, ww, bb, opts);
        return tf.add(tf.sum(tf.mul(r.spikes, g)), tf.sum(tf.mul(r.h, gu)));
      })([x, w, b]) as [Tensor, Tensor, Tensor];
      expectClose(gx.dataSync(), golden.grad_x.data, GRAD, 'grad_x');
      expectClose(gw.dataSync(), golden.grad_weight.data, GRAD, 'grad_weight');
      expectClose(gb.dataSync(), golden.grad_bias.data, GRAD, 'grad_bias');
    });

    it('the layer (registry, seeded) has [T, T] weight and [T] bias parameters and trains them', () => {
      const layer = registry.get('neuron', 'psn').create({ vth: golden.vth, timesteps: golden.T, seed: 3, tau: 0.25, surrogate: stbpRectangle() }) as PSN;
      expect(layer.weight.shape).to.deep.equal([golden.T, golden.T]);
      expect(layer.bias.shape).to.deep.equal([golden.T]);
      const bound = 1 / Math.sqrt(golden.T);
      expect(Math.max(...Array.from(layer.weight.dataSync(), Math.abs))).to.be.at.most(bound);
      const again = new PSN('p', { timesteps: golden.T, seed: 3 });
      expectEqualArrays(again.weight.dataSync(), layer.weight.dataSync(), 'same seed, same init');
      layer.weight.assign(goldenTensor(golden.weight) as tf.Tensor2D);
      layer.bias.assign(goldenTensor(golden.bias) as tf.Tensor1D);
      expectEqualArrays(layer.forward(goldenTensor(golden.x)).dataSync(), golden.o.data, 'forward');
      const g = goldenTensor(golden.g);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.forward(goldenTensor(golden.x)), g)) as tf.Scalar, [layer.weight, layer.bias]);
      expect(Math.max(...Array.from((grads[layer.weight.name] as Tensor).dataSync(), Math.abs)), 'the surrogate reaches W').to.be.greaterThan(0);
    });

    it('needs T, the whole sequence and no single steps, with messages that say so', () => {
      expect(() => new PSN('p')).to.throw(InvalidArgumentError, /PSN "p": a PSN needs the number of time steps T \(its weight is \[T, T\]\), got undefined/);
      const layer = new PSN('p', { timesteps: 4 });
      expect(() => layer.forward(tf.zeros([3, 2, 2]))).to.throw(InvalidArgumentError, /the sequence has 3 time steps, got T = 3; expected T = 4/);
      expect(() => layer.step(tf.zeros([2, 2]))).to.throw(InvalidArgumentError, /a PSN is not iterative/);
    });
  });
});
