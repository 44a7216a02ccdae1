import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { DeepSpikeError, InvalidArgumentError, initBackend, type Linear } from '@deepspike/core';
import { expectClose } from '@deepspike/core/testing';
import { buildModel, messages, planModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { firstPartyRegistry } from './helpers/compile.js';

const tiny: ModelSpec = {
  name: 'tiny-net',
  timesteps: 3,
  input: { shape: [8, 8, 1] },
  layers: [
    { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
    { type: 'norm' },
    { type: 'neuron' },
    { type: 'pool', mode: 'avg', size: 2 },
    { type: 'residual', filters: 8, stride: 2, shortcut: 'projection' },
    { type: 'globalAvgPool' },
    { type: 'linear', units: 5 },
  ],
  training: { dataset: { name: 'mnist' }, seed: 7 },
};

describe('buildModel', () => {
  const registry = firstPartyRegistry();
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('names layers and parameters by field path, and propagates shapes', () => {
    const model = buildModel(tiny, { registry });
    expect([...model.layers.keys()]).to.deep.equal(['conv1', 'norm1', 'lif1', 'pool1', 'block1', 'globalPool1', 'fc1']);
    expect([...model.trainableParameters().keys()]).to.deep.equal([
      'conv1.kernel',
      'norm1.lambda',
      'norm1.beta',
      'block1.conv1.kernel',
      'block1.norm1.lambda',
      'block1.norm1.beta',
      'block1.conv2.kernel',
      'block1.norm2.lambda',
      'block1.norm2.beta',
      'block1.shortcutConv.kernel',
      'block1.shortcutNorm.lambda',
      'block1.shortcutNorm.beta',
      'fc1.kernel',
      'fc1.bias',
    ]);
    expect(model.plan.nodes.map((n) => n.outShape)).to.deep.equal([[8, 8, 4], [8, 8, 4], [8, 8, 4], [4, 4, 4], [2, 2, 8], [8], [5]]);
    expect([...model.neuronLayers().keys()]).to.deep.equal(['lif1', 'block1.neuron1', 'block1.neuron2']);
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
    const y = model.forward(x);
    expect(y.shape).to.deep.equal([2, 5]);
    model.dispose();
  });

  it('initialises the same weights for the same seed, other weights for another seed', () => {
    const a = buildModel(tiny, { registry });
    const b = buildModel(tiny, { registry });
    const c = buildModel(tiny, { registry, seed: 8 });
    const w = (m: typeof a, k: string): number[] => Array.from(m.namedParameters().get(k)?.dataSync() ?? []);
    expect(w(b, 'block1.conv2.kernel')).to.deep.equal(w(a, 'block1.conv2.kernel'));
    expect(w(c, 'block1.conv2.kernel')).to.not.deep.equal(w(a, 'block1.conv2.kernel'));
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 2);
    expect(Array.from(b.forward(x).dataSync())).to.deep.equal(Array.from(a.forward(x).dataSync()));
    for (const m of [a, b, c]) m.dispose();
  });

  it('membrane readout: the mean over T of the last linear output (direct encoding: x·W + b)', () => {
    const spec: ModelSpec = { name: 'lin', timesteps: 4, input: { shape: [3] }, layers: [{ type: 'linear', units: 2 }] };
    const model = buildModel(spec, { registry, seed: 1 });
    const fc = model.layers.get('fc1') as Linear;
    fc.kernel.assign(tf.tensor2d([1, -1, 2, 0.5, -3, 1], [3, 2]));
    fc.bias?.assign(tf.tensor1d([0.25, -0.5]));
    const y = model.forward(tf.tensor2d([[1, 2, 3]]));
    expectClose(y.dataSync(), [1 + 4 - 9 + 0.25, -1 + 1 + 3 - 0.5]);
  });

  it('rate readout: the firing rate of the last neurons, per the STBP LIF law', () => {
    const spec: ModelSpec = {
      name: 'rate',
      timesteps: 4,
      input: { shape: [1] },
      defaults: { neuron: { vth: 0.5, tau: 0.25 } },
      layers: [{ type: 'linear', units: 3, bias: false }, { type: 'neuron' }],
      readout: 'rate',
    };
    const model = buildModel(spec, { registry });
    const currents = [0.3, 0.45, 0.6];
    (model.layers.get('fc1') as Linear).kernel.assign(tf.tensor2d([currents]));
    // u[t] = tau*u[t-1]*(1-o[t-1]) + x, o = H(u - vth), rate = mean_t o[t]
    const expected = currents.map((c) => {
      let u = 0;
      let o = 0;
      let n = 0;
      for (let t = 0; t < 4; t++) {
        u = 0.25 * u * (1 - o) + c;
        o = u >= 0.5 ? 1 : 0;
        n += o;
      }
      return n / 4;
    });
    expect(expected).to.deep.equal([0, 0.5, 1]); // 0.45: 0.45, 0.5625 (fire), 0.45, 0.5625 (fire)
    expectClose(model.forward(tf.tensor2d([[1]])).dataSync(), expected);
  });

  it('tet readout keeps the steps; event inputs must carry the model\'s T', () => {
    const spec: ModelSpec = {
      name: 'dvs',
      timesteps: 2,
      input: { shape: [4, 4, 2], encoding: 'events' },
      layers: [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'neuron' }, { type: 'flatten' }, { type: 'linear', units: 4 }],
      readout: 'tet',
    };
    const model = buildModel(spec, { registry });
    expect(model.encoder).to.equal(null);
    const x = tf.randomUniform([2, 3, 4, 4, 2], 0, 1, 'float32', 3);
    const y = model.forward(x);
    expect(y.shape).to.deep.equal([2, 3, 4]);
    // per step: fc1(flatten(lif(conv(x)))) — the membrane readout would be its mean over T
    const step = model.layers.get('fc1')!.forward(model.layers.get('flatten1')!.forward(model.layers.get('lif1')!.forward(model.layers.get('conv1')!.forward(x))));
    expectClose(y.dataSync(), step.dataSync());
    expect(() => model.forward(tf.zeros([3, 3, 4, 4, 2]))).to.throw(
      InvalidArgumentError,
      'Dvs.forward: event frames have shape [3, 3, 4, 4, 2], got rank 5; expected [T=2, N, 4, 4, 2].',
    );
    const t1 = buildModel(spec, { registry, timesteps: 1 });
    expect(t1.forward(tf.zeros([1, 1, 4, 4, 2])).shape).to.deep.equal([1, 1, 4]);
  });

  it('names repeated groups <repeat><Inner><copy>', () => {
    const spec: ModelSpec = {
      name: 'rep',
      timesteps: 1,
      input: { shape: [8, 8, 3] },
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3 },
        { type: 'repeat', name: 'stage1', times: 2, layers: [{ type: 'residual', filters: 4 }] },
        { type: 'repeat', times: 2, layers: [{ type: 'conv2d', filters: 4, kernel: 1 }, { type: 'neuron' }, { type: 'conv2d', name: 'mix', filters: 4, kernel: 1 }] },
        { type: 'residual', block: 'bottleneck', filters: 2, shortcut: 'projection' },
      ],
    };
    const plan = planModel(spec);
    expect(plan.nodes.map((n) => n.field)).to.deep.equal([
      'conv1',
      'stage1Block1',
      'stage1Block2',
      'stage2Conv1',
      'stage2Lif1',
      'stage2Mix1',
      'stage2Conv2',
      'stage2Lif2',
      'stage2Mix2',
      'block1',
    ]);
    expect(plan.outputShape).to.deep.equal([8, 8, 8]);
  });

  it('explains shapes that cannot propagate and clashing names', () => {
    const bad = (layers: ModelSpec['layers']): ModelSpec => ({ name: 'bad', timesteps: 1, input: { shape: [4, 4, 1] }, layers });
    expect(() => planModel(bad([{ type: 'linear', units: 2 }]))).to.throw(DeepSpikeError, messages.needsVector('/layers/0', 'linear', [4, 4, 1]));
    expect(() => planModel(bad([{ type: 'flatten' }, { type: 'conv2d', filters: 2, kernel: 3 }]))).to.throw(DeepSpikeError, messages.needsImage('/layers/1', 'conv2d', [16]));
    expect(() => planModel(bad([{ type: 'conv2d', filters: 2, kernel: 5, padding: 'valid' }]))).to.throw(DeepSpikeError, 'got a size below 1');
    expect(() => planModel(bad([{ type: 'flatten', name: 'forward' }]))).to.throw(DeepSpikeError, messages.reservedName('/layers/0', 'forward'));
    expect(() => planModel(bad([{ type: 'flatten', name: 'a' }, { type: 'flatten', name: 'a' }]))).to.throw(DeepSpikeError, messages.duplicateName('/layers/1', 'a', '/layers/0'));
    expect(() => buildModel(bad([{ type: 'norm', kind: 'fancy' }]), { registry })).to.throw('Unknown norm "fancy". Registered norms: bn, bntt, mpbn, tdbn, tebn.');
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`trains end to end on ${backend}: every trainable parameter gets a finite, non-zero gradient through the surrogate`, async () => {
      await initBackend(backend, { log: () => {} });
      const model = buildModel(tiny, { registry });
      const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 4);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.forward(x)) as tf.Scalar, [...model.trainableParameters().values()]);
      expect(Number.isFinite(value.dataSync()[0])).to.equal(true);
      for (const [name, v] of model.trainableParameters()) {
        const g = Array.from(grads[v.name]?.dataSync() ?? []);
        expect(g.length, name).to.equal(v.size);
        expect(g.every(Number.isFinite), `${name} finite`).to.equal(true);
        expect(g.some((e) => e !== 0), `${name} receives gradient`).to.equal(true);
      }
      model.dispose();
      await initBackend('cpu', { log: () => {} });
    });
  }

  it('does not leak tensors in forward', () => {
    const model = buildModel(tiny, { registry });
    const x = tf.zeros([1, 8, 8, 1]);
    model.forward(x).dispose();
    const before = tf.memory().numTensors;
    model.forward(x).dispose();
    expect(tf.memory().numTensors).to.equal(before);
    model.dispose();
  });
});
