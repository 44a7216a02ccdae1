import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import { validateModelSync, type ModelSpec } from '@deepspike/dsl';
import { firstPartyRegistry } from './helpers/compile.js';

const file = fileURLToPath(new URL('../../../examples/spikformer-cifar10/spikformer-cifar10.snn.json', import.meta.url));

describe('examples/spikformer-cifar10 trains', function () {
  this.timeout(300_000);
  const registry = firstPartyRegistry();
  before(async () => {
    await initBackend('wasm', { log: () => {} });
  });

  it('six Adam steps at T=2 on a batch of 2 lower the cross-entropy, every parameter gets a gradient, and the attention neurons fire', () => {
    const spec = validateModelSync(readFileSync(file, 'utf8'), { registry }) as ModelSpec;
    const model = buildModel(spec, { registry, timesteps: 2 });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3);
    const y = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10);
    const vars = [...model.trainableParameters().values()];
    for (const n of model.neuronLayers().values()) n.recordRates = true;
    const opt = tf.train.adam(2e-3);
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      model.resetState();
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x)) as tf.Scalar, vars);
      if (step === 0) {
        const silent = vars.filter((v) => tf.tidy(() => tf.max(tf.abs(grads[v.name]!)).dataSync()[0]) === 0).map((v) => v.name);
        expect(silent, 'parameters without gradient').to.deep.equal([]);
      }
      opt.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      losses.push(value.dataSync()[0]!);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(losses.every(Number.isFinite)).to.equal(true);
    expect(losses[5]!, `losses ${losses.map((l) => l.toFixed(3)).join(', ')}`).to.be.lessThan(losses[0]! * 0.8);
    // the spiking self-attention is not silent (its neuron fires for some tokens)
    const attn = [...model.neuronLayers()].filter(([k]) => k.endsWith('attnNeuron'));
    expect(attn.map(([k]) => k)).to.deep.equal(['encoderBlock1.attention.attnNeuron', 'encoderBlock2.attention.attnNeuron']);
    for (const [k, n] of attn) expect(n.lastFiringRate!.dataSync()[0], k).to.be.greaterThan(0);
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });
});
