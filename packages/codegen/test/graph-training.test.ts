import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { buildModel, planModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { firstPartyRegistry } from './helpers/compile.js';

/** Residual add + fan-out + a recurrent CubaLIF, ending in a linear layer (membrane readout). */
const SPEC = {
  name: 'graph-train',
  input: { shape: [4, 4, 2], encoding: 'events' },
  timesteps: 4,
  defaults: { norm: { kind: 'none' }, neuron: { vth: 0.5 } },
  layers: [
    { type: 'conv2d', name: 'conv1', filters: 4, kernel: 3, padding: 1, bias: true },
    { type: 'neuron', name: 'lif1' },
    { type: 'conv2d', name: 'conv2', filters: 4, kernel: 3, padding: 1, bias: true },
    { type: 'neuron', name: 'lif2', inputs: ['conv2', 'lif1'] },
    { type: 'flatten', name: 'flat' },
    { type: 'linear', name: 'fc1', units: 8 },
    { type: 'neuron', name: 'syn', kind: 'cubalif', vth: 0.5, tau: 0.8, options: { alpha: 0.5 }, recurrent: {} },
    { type: 'linear', name: 'head', units: 2 },
  ],
  readout: 'membrane',
} as unknown as ModelSpec;

describe('graph-shaped models: plan, forward and STBP training', () => {
  const registry = firstPartyRegistry();
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('plans the sum and the chain; the residual sum is what lif2 receives', () => {
    const plan = planModel(SPEC);
    expect(plan.nodes.map((n) => [n.field, n.inputs ?? null])).to.deep.equal([
      ['conv1', null],
      ['lif1', null],
      ['conv2', null],
      ['lif2', ['conv2', 'lif1']],
      ['flat', null],
      ['fc1', null],
      ['syn', null],
      ['head', null],
    ]);
    const model = buildModel(SPEC, { registry, seed: 1 });
    const x = tf.cast(tf.greater(tf.randomUniform([4, 2, 4, 4, 2], 0, 1, 'float32', 3), 0.6), 'float32');
    const lif1 = model.layers.get('lif1') as unknown as { recordSpikes: boolean; lastSpikes: Tensor | null };
    const lif2 = model.layers.get('lif2') as unknown as { recordSpikes: boolean; lastSpikes: Tensor | null; forward(x: Tensor): Tensor };
    lif1.recordSpikes = true;
    lif2.recordSpikes = true;
    model.forward(x);
    const conv2 = model.layers.get('conv2') as unknown as { forward(x: Tensor): Tensor };
    const expected = lif2.forward(tf.add(conv2.forward(lif1.lastSpikes as Tensor), lif1.lastSpikes as Tensor));
    expect(Array.from((lif2.lastSpikes as Tensor).dataSync())).to.deep.equal(Array.from(expected.dataSync()));
    model.dispose();
  });

  it('trains through time: the loss falls and the recurrent map gets gradients', () => {
    const model = buildModel(SPEC, { registry, seed: 2 });
    const n = 8;
    const x = tf.cast(tf.greater(tf.randomUniform([4, n, 4, 4, 2], 0, 1, 'float32', 5), 0.5), 'float32');
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    const vars = [...model.trainableParameters().values()];
    const opt = tf.train.adam(0.02);
    const lossOf = (): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, model.forward(x)) as tf.Scalar;
    const first = lossOf().dataSync()[0] as number;
    let recGrad = 0;
    for (let step = 0; step < 40; step++) {
      const { value, grads } = tf.variableGrads(lossOf, vars);
      if (step === 0) recGrad = tf.sum(tf.abs(grads[(model.trainableParameters().get('syn.rec.kernel') as tf.Variable).name] as Tensor)).dataSync()[0] as number;
      opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]); // Adam declares a variable map
      tf.dispose([value, ...Object.values(grads)]);
    }
    const last = lossOf().dataSync()[0] as number;
    expect([...model.trainableParameters().keys()]).to.include('syn.rec.kernel');
    expect(recGrad, 'gradient reaching the recurrent weights').to.be.greaterThan(0);
    expect(last, `loss ${first} -> ${last}`).to.be.lessThan(first * 0.5);
    model.dispose();
  });
});
