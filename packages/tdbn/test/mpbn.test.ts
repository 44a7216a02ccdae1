import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { CubaLIF, IF, installPlugin, InvalidArgumentError, LIF, normIntoNeuron, Registry, stbpRectangle, deepspikePlugin as corePlugin } from '@deepspike/core';
import { expectClose, expectEqualArrays, goldenTensor, testdataDir, type GoldenTensor } from '@deepspike/core/testing';
import { deepspikePlugin, MembranePotentialBN, mpbnLif } from '@deepspike/tdbn';
import { useBackend } from './helpers.js';

interface MpbnGolden {
  vth: number; tau: number; epsilon: number; momentum: number;
  x: GoldenTensor; lambda: GoldenTensor; beta: GoldenTensor; g: GoldenTensor; gu: GoldenTensor;
  train: { o: GoldenTensor; u: GoldenTensor; uhat: GoldenTensor; grad_x: GoldenTensor; grad_lambda: GoldenTensor; grad_beta: GoldenTensor; running_mean: GoldenTensor; running_var: GoldenTensor; spike_rate: number };
  eval: { o: GoldenTensor; u: GoldenTensor; uhat: GoldenTensor; folded_vth: GoldenTensor; spike_rate: number };
}
/** testdata/neurons/mpbn.json, written by tools/golden_neurons.py (PyTorch). */
const golden = JSON.parse(readFileSync(join(testdataDir(), 'neurons', 'mpbn.json'), 'utf8')) as MpbnGolden;
const FWD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };

function layer(): MembranePotentialBN {
  const reg = new Registry();
  installPlugin(corePlugin, reg);
  installPlugin(deepspikePlugin, reg);
  const l = reg.get('norm', 'mpbn').create({ channels: 3, epsilon: golden.epsilon, momentum: golden.momentum, name: 'mp' }) as MembranePotentialBN;
  l.lambda.assign(goldenTensor(golden.lambda) as tf.Tensor1D);
  l.beta.assign(goldenTensor(golden.beta) as tf.Tensor1D);
  return l;
}
const lifOf = (): LIF => new LIF('lif', { vth: golden.vth, tau: golden.tau, surrogate: stbpRectangle(), implementation: 'composite' });

describe('MPBN (membrane potential BN, Guo et al. ICCV 2023) against PyTorch (testdata/neurons/mpbn.json)', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it('training: spikes, u, the normalised potential and the gradients of x, lambda and beta match', () => {
    const [x, lam, beta, g, gu] = [golden.x, golden.lambda, golden.beta, golden.g, golden.gu].map(goldenTensor) as Tensor[];
    const neuron = { vth: golden.vth, tau: golden.tau, surrogate: stbpRectangle(), detachReset: false };
    const run = (xx: Tensor, ll: Tensor, bb: Tensor) => mpbnLif(xx, { lambda: ll, beta: bb, epsilon: golden.epsilon, running: null }, neuron);
    const r = run(x as Tensor, lam as Tensor, beta as Tensor);
    expect(golden.train.spike_rate).to.be.within(0.1, 0.9);
    expectEqualArrays(r.spikes.dataSync(), golden.train.o.data, 'spikes');
    expectClose(r.u.dataSync(), golden.train.u.data, FWD, 'u');
    expectClose(r.uhat.dataSync(), golden.train.uhat.data, FWD, 'uhat');
    const [gx, gl, gb] = tf.grads((xx: Tensor, ll: Tensor, bb: Tensor) => {
      const q = run(xx, ll, bb);
      return tf.add(tf.sum(tf.mul(q.spikes, g as Tensor)), tf.sum(tf.mul(q.uhat, gu as Tensor)));
    })([x as Tensor, lam as Tensor, beta as Tensor]) as Tensor[];
    expectClose((gx as Tensor).dataSync(), golden.train.grad_x.data, GRAD, 'grad_x (through the batch statistics too)');
    expectClose((gl as Tensor).dataSync(), golden.train.grad_lambda.data, GRAD, 'grad_lambda');
    expectClose((gb as Tensor).dataSync(), golden.train.grad_beta.data, GRAD, 'grad_beta');
  });

  it('the DSL layer runs inside the LIF through normIntoNeuron: same spikes, running statistics updated once per step', () => {
    const l = layer();
    const spikes = normIntoNeuron(l, lifOf(), goldenTensor(golden.x));
    expectEqualArrays(spikes.dataSync(), golden.train.o.data, 'spikes');
    expectClose(l.runningMean.dataSync(), golden.train.running_mean.data, FWD, 'runningMean');
    expectClose(l.runningVar.dataSync(), golden.train.running_var.data, FWD, 'runningVar');
  });

  it('inference uses the running statistics, and equals a plain LIF with the folded per-channel thresholds (the re-parameterisation)', () => {
    const l = layer();
    l.runningMean.assign(goldenTensor(golden.train.running_mean) as tf.Tensor1D);
    l.runningVar.assign(goldenTensor(golden.train.running_var) as tf.Tensor1D);
    l.setTraining(false);
    const spikes = normIntoNeuron(l, lifOf(), goldenTensor(golden.x));
    expectEqualArrays(spikes.dataSync(), golden.eval.o.data, 'eval spikes');
    const folded = l.foldedThresholds(golden.vth);
    expectClose(folded, golden.eval.folded_vth.data, { atol: 1e-5, rtol: 1e-5 }, 'folded thresholds');
    // LIF with u[t] = tau*u*(1-o) + x and o = H(u - vth'[c]), written out: no norm left.
    const x = goldenTensor(golden.x).dataSync();
    const [T, per, C] = [4, x.length / 4, 3];
    const u = new Float64Array(per);
    const o = new Float64Array(per);
    const out: number[] = [];
    for (let t = 0; t < T; t++) for (let i = 0; i < per; i++) {
      u[i] = t === 0 ? (x[i] as number) : golden.tau * (u[i] as number) * (1 - (o[i] as number)) + (x[t * per + i] as number);
      o[i] = (u[i] as number) >= (folded[i % C] as number) ? 1 : 0;
      out.push(o[i] as number);
    }
    expect(out).to.deep.equal(Array.from(golden.eval.o.data));
    expect(golden.eval.spike_rate).to.be.within(0.1, 0.9);
  });

  it('IF (tau 1) runs too; alone, or before a neuron it cannot run in, it refuses with the reason', () => {
    const l = layer();
    const x = goldenTensor(golden.x);
    const ifSpikes = normIntoNeuron(l, new IF('if', { vth: golden.vth }), x);
    const ref = mpbnLif(x, { lambda: l.lambda, beta: l.beta, epsilon: golden.epsilon, running: null }, { vth: golden.vth, tau: 1, surrogate: stbpRectangle(), detachReset: false });
    expectEqualArrays(ifSpikes.dataSync(), ref.spikes.dataSync(), 'IF');
    expect(() => l.forward(x)).to.throw(InvalidArgumentError, /MPBN normalises the membrane potential of the neuron it feeds.*Put the "mpbn" norm directly before a neuron layer/);
    expect(() => normIntoNeuron(l, new CubaLIF('c'), x)).to.throw(InvalidArgumentError, /MPBN runs inside a LIF-family neuron, got a CubaLIF/);
  });
});
