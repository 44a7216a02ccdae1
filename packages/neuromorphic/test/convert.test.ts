import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { BasicBlock, Conv2d, Flatten, initBackend, installPlugin, LIF, Linear, Pool, Registry, deepspikePlugin as corePlugin, type Layer } from '@deepspike/core';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { compareOnBatch, foldGraph, modelToGraph, quantizeGraph, tfPadding, validateGraph, type ConvNode, type PopulationNode } from '../src/index.js';
import { ChainNet, randomiseNorms, rng } from './helpers.js';

const reg = new Registry();
installPlugin(corePlugin, reg);
installPlugin(tdbnPlugin, reg);

/** conv-tdBN-LIF, a basic block with a projection shortcut (stride 2), avg pool, flatten, linear; direct encoding. */
function smallLayers(): [string, Layer][] {
  const norm = { kind: 'tdbn', options: { epsilon: 1e-5, momentum: 0.1 } };
  const neuron = { kind: 'lif', options: { vth: 0.5, tau: 0.25 } };
  return [
    ['conv', new Conv2d('conv', { inChannels: 1, filters: 4, kernel: 3, padding: 1, bias: false, seed: 1 })],
    ['norm', reg.get('norm', 'tdbn').create({ channels: 4, alpha: 1, vth: 0.5, name: 'norm' })],
    ['lif', new LIF('lif', { vth: 0.5, tau: 0.25 })],
    ['block', new BasicBlock('block', { inChannels: 4, filters: 6, stride: 2, norm, neuron, registry: reg, seed: 2 })],
    ['pool', new Pool('pool', { mode: 'avg', size: 2 })],
    ['flat', new Flatten('flat')],
    ['fc', new Linear('fc', { inFeatures: 2 * 2 * 6, units: 3, seed: 3 })],
  ];
}

class Small extends ChainNet {
  constructor() {
    super('small', reg, smallLayers());
  }
}

describe('model -> graph', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('tf.js "same" padding becomes symmetric or [top, bottom] padding', () => {
    expect(tfPadding('same', [8, 8], [3, 3], [1, 1])).to.deep.equal({ start: [1, 1], end: [1, 1] });
    expect(tfPadding('same', [8, 8], [3, 3], [2, 2])).to.deep.equal({ start: [0, 0], end: [1, 1] });
    expect(tfPadding(2, [8, 8], [5, 5], [1, 1])).to.deep.equal({ start: [2, 2], end: [2, 2] });
  });

  it('folds tdBN and gives the same spikes and predictions as the unfolded model', () => {
    const model = new Small();
    // non-trivial running statistics and affine parameters
    const r = rng(5);
    randomiseNorms(model, r);
    model.setTraining(false);
    const populations = new Map<Layer, string>();
    const unfolded = modelToGraph(model, { inputShape: [8, 8, 1], timesteps: 4, populations });
    expect(validateGraph(unfolded).shapes.get('block.neuron2')?.out).to.deep.equal([4, 4, 6]);
    expect(unfolded.edges.filter((e) => e.to === 'block.neuron2').map((e) => e.from).sort()).to.deep.equal(['block.norm2', 'block.shortcutNorm']);
    expect((unfolded.nodes.find((n) => n.name === 'block.conv1') as ConvNode)).to.deep.include({ padding: [1, 1], stride: [2, 2] });
    const x = tf.tensor4d(Array.from({ length: 16 * 64 }, () => r()), [16, 8, 8, 1]);
    for (const mode of ['weights', 'auto'] as const) {
      const { graph, records } = foldGraph(unfolded, { mode });
      if (mode === 'auto') {
        expect(records.find((q) => q.norm === 'norm')?.into).to.equal('thresholds');
        expect(records.find((q) => q.norm === 'block.norm2')?.into).to.equal('weights');
        expect((graph.nodes.find((n) => n.name === 'lif') as PopulationNode).threshold).to.be.instanceOf(Float64Array);
      }
      const rep = compareOnBatch(model, graph, populations, x);
      expect(rep.floatAgree, mode).to.equal(16);
      expect(rep.floatSpikes).to.be.greaterThan(100);
      expect(rep.spikeMismatches / rep.spikesCompared, mode).to.be.lessThan(1e-3);
    }
    const q = quantizeGraph(foldGraph(unfolded, { mode: 'weights' }).graph, { bits: 8, scheme: 'common' });
    const rep = compareOnBatch(model, foldGraph(unfolded, { mode: 'weights' }).graph, populations, x, q);
    expect(rep.intAgree).to.be.at.least(13);
    x.dispose();
    model.dispose();
  });
});
