import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { encodeInput, initBackend, normIntoNeuronPool, type Layer, type NeuronLayer } from '@deepspike/core';
import { buildModel, emitModel, forwardSteps, planModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { firstPartyRegistry } from './helpers/compile.js';

/**
 * A graph-shaped model on a direct encoding: a stem conv into tdBN+LIF+pool, then a residual block
 * summing by name; `side` adds a branch that also reads the input or the stem's output.
 */
function spec(side: 'none' | 'input' | 'stem' = 'none'): ModelSpec {
  const branch = side === 'none' ? [] : [{ type: 'conv2d', name: 'side', filters: 4, kernel: 2, stride: 2, inputs: [side] }];
  return {
    name: 'graph-stem',
    input: { shape: [6, 6, 2], encoding: 'direct' },
    timesteps: 3,
    defaults: { norm: { kind: 'tdbn' }, neuron: { vth: 0.5, tau: 0.25, surrogate: { name: 'rect', params: { alpha: 1 } } } },
    layers: [
      { type: 'conv2d', name: 'stem', filters: 4, kernel: 3, padding: 1 },
      { type: 'norm', name: 'bn1' },
      { type: 'neuron', name: 'lif1' },
      { type: 'pool', name: 'pool1', mode: 'avg', size: 2 },
      { type: 'conv2d', name: 'conv2', filters: 4, kernel: 3, padding: 1 },
      ...branch,
      { type: 'neuron', name: 'lif2', inputs: ['conv2', side === 'none' ? 'pool1' : 'side'] },
      { type: 'flatten', name: 'flat' },
      { type: 'linear', name: 'head', units: 3 },
    ],
    readout: 'membrane',
  } as unknown as ModelSpec;
}

describe('graph-shaped models run their stem conv once on a direct encoding', () => {
  const registry = firstPartyRegistry();
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('plans the stem norm step as normIntoNeuronRepeated, and the generated class encodes once', () => {
    const s = spec();
    const steps = forwardSteps(planModel(s).nodes, 'direct');
    expect(steps.map((st) => st.kind)).to.deep.equal(['layer', 'normIntoNeuronRepeated', 'layer', 'layer', 'layer', 'layer']);
    const code = emitModel(s, { sourceFile: 'graph-stem.snn.json' }).content;
    expect(code).to.contain('const input = encodeInputOnce(x,');
    expect(code).to.contain('const pool1Out = normIntoNeuronRepeated(this.bn1, this.lif1, stemOut, this.timesteps, this.pool1);');
    expect(code).to.contain('const stemOut = this.stem.forward(input); // [1 or T, N, 6, 6, 4]');
  });

  it('gives the per-step forward and gradients (the T copies through normIntoNeuronPool)', () => {
    const model = buildModel(spec(), { registry, seed: 3 });
    model.setTraining(true);
    const x = tf.randomUniform([2, 6, 6, 2], -1, 2, 'float32', 4);
    const layer = (f: string): Layer => model.layers.get(f) as Layer;
    const perStep = (): Tensor => {
      const input = encodeInput(x, model.encoder, 3, [6, 6, 2], 'test');
      const pooled = normIntoNeuronPool(layer('bn1'), layer('lif1') as NeuronLayer, layer('pool1'), layer('stem').forward(input));
      const lif2 = layer('lif2').forward(tf.add(layer('conv2').forward(pooled), pooled));
      return model.readout.forward(layer('head').forward(layer('flat').forward(lif2)));
    };
    const weights = [...model.trainableParameters().values()];
    const loss = (f: () => Tensor) => () => tf.sum(tf.mul(f(), tf.reshape(tf.linspace(-1, 1, 6), [2, 3])));
    const once = tf.variableGrads(loss(() => model.forward(x)) as () => tf.Scalar, weights);
    const copies = tf.variableGrads(loss(perStep) as () => tf.Scalar, weights);
    expect(once.value.dataSync()[0]).to.be.closeTo(copies.value.dataSync()[0] as number, 1e-5);
    let compared = 0;
    for (const [name, g] of Object.entries(copies.grads)) {
      const a = once.grads[name]!.dataSync(), b = g.dataSync();
      for (let i = 0; i < b.length; i++) expect(a[i]).to.be.closeTo(b[i] as number, 1e-5 * (1 + Math.abs(b[i] as number)), `${name}[${i}]`);
      compared++;
    }
    expect(compared).to.equal(weights.length);
    model.dispose();
  });

  it('keeps the per-step path when a later step also reads the input or the stem output, and for event inputs', () => {
    for (const side of ['input', 'stem'] as const) {
      const steps = forwardSteps(planModel(spec(side)).nodes, 'direct');
      expect(steps.map((st) => st.kind), side).to.deep.equal(['layer', 'normIntoNeuronPool', 'layer', 'layer', 'layer', 'layer', 'layer']);
    }
    expect(forwardSteps(planModel(spec()).nodes, 'events')[1]?.kind).to.equal('normIntoNeuronPool');
  });
});
