import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Alpha, initBackend, Lapicque, PSN, type SpikingModel } from '@deepspike/core';
import { buildModel, emitModel } from '@deepspike/codegen';
import { checkModelSync } from '@deepspike/dsl';
import { firstPartyRegistry, importGenerated, writeGenerated } from './helpers/compile.js';
import { readScenarios } from './helpers/scenarios.js';

/** The neuron-kinds scenario (Alpha, Lapicque, PSN): generated class = buildModel, and it trains. */
describe('Alpha, Lapicque and PSN through the DSL, codegen and training', () => {
  const registry = firstPartyRegistry();
  const scenario = readScenarios().find((s) => s.name === 'neuron-kinds')!;
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('the DSL validates the three kinds and their options against the schema fragments, locating bad ones', () => {
    const text = JSON.stringify(scenario.spec, null, 2);
    expect(checkModelSync(text, { registry }).problems).to.deep.equal([]);
    const bad = JSON.parse(text) as { layers: Record<string, unknown>[] };
    bad.layers[3] = { ...bad.layers[3], options: { resistance: 2, reset: 'none' } };
    bad.layers[1] = { ...bad.layers[1], options: { alpha: 1.5, beta: 0.8 } };
    const r = checkModelSync(JSON.stringify(bad, null, 2), { registry });
    expect(r.valid).to.equal(false);
    const paths = r.problems.map((p) => p.path);
    expect(paths.some((p) => p.startsWith('/layers/1/options')), JSON.stringify(r.problems)).to.equal(true);
    expect(paths.some((p) => p.startsWith('/layers/3/options')), JSON.stringify(r.problems)).to.equal(true);
  });

  it('the generated class and buildModel build the same layers, parameters and outputs; PSN gets T and its own seed', async () => {
    const [path] = writeGenerated([emitModel(scenario.spec, { sourceFile: 'scenarios/neuron-kinds.snn.json' })], 'neuron-kinds');
    const Generated = await importGenerated<SpikingModel & { alpha1: Alpha; rc: Lapicque; psn: PSN }>(path as string, 'NeuronKinds');
    const a = new Generated({ registry, seed: 5 });
    const b = buildModel(scenario.spec, { registry, seed: 5 });
    expect([a.alpha1.alpha, a.alpha1.beta, a.rc.resistance, a.rc.capacitance, a.rc.reset, a.psn.timesteps]).to.deep.equal([0.9, 0.8, 2, 1.5, 'zero', 4]);
    const pa = a.namedParameters();
    const pb = b.namedParameters();
    expect([...pa.keys()]).to.include.members(['psn.weight', 'psn.bias']);
    expect([...pa.keys()]).to.deep.equal([...pb.keys()]);
    for (const [k, v] of pa) expect(Array.from(v.dataSync()), k).to.deep.equal(Array.from(pb.get(k)!.dataSync()));
    const other = new Generated({ registry, seed: 6 });
    expect(Array.from(other.psn.weight.dataSync()), 'the PSN init follows the model seed').to.not.deep.equal(Array.from(a.psn.weight.dataSync()));
    const x = tf.cast(tf.greater(tf.randomUniform([4, 3, 4, 4, 2], 0, 1, 'float32', 9), 0.5), 'float32');
    expect(Array.from(a.forward(x).dataSync())).to.deep.equal(Array.from(b.forward(x).dataSync()));
    // A model built for another T sizes its PSN for it.
    const t6 = new Generated({ registry, seed: 5, timesteps: 6 });
    expect(t6.psn.weight.shape).to.deep.equal([6, 6]);
    for (const m of [a, b, other, t6]) m.dispose();
  });

  it('trains through time with surrogate gradients: the loss falls and every neuron path carries gradient', () => {
    const model = buildModel(scenario.spec, { registry, seed: 2 });
    const n = 8;
    const x = tf.cast(tf.greater(tf.randomUniform([4, n, 4, 4, 2], 0, 1, 'float32', 5), 0.5), 'float32');
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    const params = model.trainableParameters();
    const vars = [...params.values()];
    const opt = tf.train.adam(0.02);
    const lossOf = (): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, model.forward(x)) as tf.Scalar;
    const first = lossOf().dataSync()[0] as number;
    const firstGrads: Record<string, number> = {};
    for (let step = 0; step < 40; step++) {
      const { value, grads } = tf.variableGrads(lossOf, vars);
      if (step === 0) for (const k of ['conv1.kernel', 'conv2.kernel', 'psn.weight', 'psn.bias']) firstGrads[k] = tf.sum(tf.abs(grads[(params.get(k) as tf.Variable).name] as Tensor)).dataSync()[0] as number;
      opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const last = lossOf().dataSync()[0] as number;
    // conv1 is reached only through the alpha and Lapicque neurons' surrogates, psn.* through the PSN's.
    for (const [k, g] of Object.entries(firstGrads)) expect(g, `gradient reaching ${k}`).to.be.greaterThan(0);
    expect(last, `loss ${first} -> ${last}`).to.be.lessThan(first * 0.5);
    model.dispose();
  });
});

/** The mpbn-lif scenario: conv -> bn -> mpbn -> lif; the norm runs inside the neuron. */
describe('MPBN through the DSL, codegen and training', () => {
  const registry = firstPartyRegistry();
  const scenario = readScenarios().find((s) => s.name === 'mpbn-lif')!;
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('validates; the generated class equals buildModel; training lowers the loss, moves lambda/beta and the running statistics', async () => {
    expect(checkModelSync(JSON.stringify(scenario.spec, null, 2), { registry }).problems).to.deep.equal([]);
    const [path] = writeGenerated([emitModel(scenario.spec, { sourceFile: 'scenarios/mpbn-lif.snn.json' })], 'mpbn-lif');
    const Generated = await importGenerated<SpikingModel>(path as string, 'MpbnLif');
    const a = new Generated({ registry, seed: 3 });
    const b = buildModel(scenario.spec, { registry, seed: 3 });
    const x = tf.randomUniform([6, 6, 6, 1], 0, 1, 'float32', 4);
    expect(Array.from(a.forward(x).dataSync())).to.deep.equal(Array.from(b.forward(x).dataSync()));
    a.dispose();
    const params = b.trainableParameters();
    expect([...b.namedParameters().keys()]).to.include.members(['mp1.lambda', 'mp1.beta', 'mp1.runningMean', 'mp1.runningVar']);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0], 'int32'), 2);
    const opt = tf.train.adam(0.03);
    const lossOf = (): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, b.forward(x)) as tf.Scalar;
    const first = lossOf().dataSync()[0] as number;
    const rm0 = Array.from((b.namedParameters().get('mp1.runningMean') as tf.Variable).dataSync());
    let lambdaGrad = 0;
    for (let step = 0; step < 40; step++) {
      const { value, grads } = tf.variableGrads(lossOf, [...params.values()]);
      if (step === 0) lambdaGrad = tf.sum(tf.abs(grads[(params.get('mp1.lambda') as tf.Variable).name] as Tensor)).dataSync()[0] as number;
      opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const last = lossOf().dataSync()[0] as number;
    expect(lambdaGrad, 'gradient reaching the MPBN scale').to.be.greaterThan(0);
    expect(Array.from((b.namedParameters().get('mp1.runningMean') as tf.Variable).dataSync())).to.not.deep.equal(rm0);
    expect(last, `loss ${first} -> ${last}`).to.be.lessThan(first * 0.5);
    b.dispose();
  });
});
