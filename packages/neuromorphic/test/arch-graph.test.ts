import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, Flatten, initBackend, installPlugin, Linear, MsBlock, Pool, Registry, SewBlock, SpikformerBlock, SpikingModel, deepspikePlugin as corePlugin, type Layer, type SewConnect } from '@deepspike/core';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { compareOnBatch, exportNIR, foldGraph, importNIR, modelToGraph, validateGraph } from '../src/index.js';
import { ChainNet, randomiseNorms, rng } from './helpers.js';

const reg = new Registry();
installPlugin(corePlugin, reg);
installPlugin(tdbnPlugin, reg);
const norm = { kind: 'tdbn', options: { epsilon: 1e-5, momentum: 0.1 } };
const neuron = { kind: 'lif', options: { vth: 0.5, tau: 0.25 } };

/** conv-tdBN-LIF stem, then two SEW blocks (identity, then a strided spiking downsample) or two MS blocks, pool, flatten, linear. */
function netLayers(block: 'sew' | 'ms', connect: SewConnect): [string, Layer][] {
  const make = (n: string, cin: number, filters: number, stride: number): Layer =>
    block === 'sew'
      ? new SewBlock(n, { inChannels: cin, filters, stride, connect, norm, neuron, registry: reg, seed: stride })
      : new MsBlock(n, { inChannels: cin, filters, stride, norm, neuron, registry: reg, seed: stride });
  return [
    ['conv', new Conv2d('conv', { inChannels: 1, filters: 4, kernel: 3, padding: 1, bias: false, seed: 1 })],
    ['norm', reg.get('norm', 'tdbn').create({ channels: 4, alpha: 1, vth: 0.5, name: 'norm' })],
    ...(block === 'sew' ? [['lif', reg.get('neuron', 'lif').create({ vth: 0.5, tau: 0.25, name: 'lif' })] as [string, Layer]] : []),
    ['block1', make('block1', 4, 4, 1)],
    ['block2', make('block2', 4, 6, 2)],
    ...(block === 'ms' ? [['lif', reg.get('neuron', 'lif').create({ vth: 0.5, tau: 0.25, name: 'lif' })] as [string, Layer]] : []),
    ['pool', new Pool('pool', { mode: 'avg', size: 2 })],
    ['flat', new Flatten('flat')],
    ['fc', new Linear('fc', { inFeatures: 2 * 2 * 6, units: 3, seed: 3 })],
  ];
}

class Net extends ChainNet {
  constructor(block: 'sew' | 'ms', connect: SewConnect = 'add') {
    super(`net-${block}`, reg, netLayers(block, connect));
  }
}

describe('SEW and MS blocks -> hardware graph -> NIR', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  for (const block of ['sew', 'ms'] as const) {
    it(`${block}: the folded graph gives the model's spikes and predictions, and survives a NIR round trip`, async () => {
      const model = new Net(block);
      randomiseNorms(model, rng(7));
      model.setTraining(false);
      const populations = new Map<Layer, string>();
      const graph = modelToGraph(model, { inputShape: [8, 8, 1], timesteps: 4, populations });
      validateGraph(graph);
      const into = (n: string): string[] => graph.edges.filter((e) => e.to === n).map((e) => e.from).sort();
      if (block === 'sew') {
        // A + S: the next layer is fed by both branches' spikes
        expect(into('block2.conv1')).to.deep.equal(['block1.neuron2', 'lif']);
        expect(into('pool')).to.deep.equal(['block2.neuron2', 'block2.shortcutNeuron']);
      } else {
        // membrane shortcut: the next neuron sums the last norm and the real-valued shortcut
        expect(into('block2.neuron1')).to.deep.equal(['block1.norm2', 'norm']);
        expect(into('lif')).to.deep.equal(['block2.norm2', 'block2.shortcutNorm']);
      }
      const x = tf.tensor4d(Array.from({ length: 16 * 64 }, rng(3)), [16, 8, 8, 1]);
      const { graph: folded } = foldGraph(graph, { mode: 'weights' });
      const rep = compareOnBatch(model, folded, populations, x);
      expect(rep.floatSpikes).to.be.greaterThan(100);
      expect(rep.spikeMismatches / rep.spikesCompared).to.be.lessThan(1e-3);
      expect(rep.floatAgree).to.be.at.least(15);
      const file = join(mkdtempSync(join(tmpdir(), 'ds-arch-nir-')), `${block}.nir`);
      await exportNIR(folded, file, { dt: 1e-3, timesteps: 4 });
      const back = await importNIR(file);
      const rep2 = compareOnBatch(model, back.graph, new Map([...populations].map(([l, n]) => [l, n])), x);
      expect(rep2.spikeMismatches / rep2.spikesCompared).to.be.lessThan(1e-3);
      x.dispose();
      model.dispose();
    });
  }

  for (const connect of ['and', 'iand'] as const) {
    it(`sew ${connect}: refused with the reason (a product of spike trains has no graph or NIR node)`, () => {
      const model = new Net('sew', connect);
      model.setTraining(false);
      expect(() => modelToGraph(model, { inputShape: [8, 8, 1], timesteps: 4 })).to.throw(`node "block1" is a SEW block with connect function "${connect}"`);
      model.dispose();
    });
  }

  it('a Spikformer block is refused with the reason (spike-matrix products have no graph or NIR node)', () => {
    class Tiny extends SpikingModel {
      readonly layers: Map<string, Layer>;
      constructor() {
        super('tiny', 2);
        this.layers = new Map([['block', this.addChild('block', new SpikformerBlock('block', { channels: 8, heads: 2, norm, neuron, registry: reg }))]]);
      }
      forward(x: tf.Tensor): tf.Tensor {
        return x;
      }
    }
    const model = new Tiny();
    expect(() => modelToGraph(model, { inputShape: [2, 2, 8], timesteps: 2 })).to.throw('node "block" is a Spikformer block, whose spiking self-attention multiplies spike matrices');
    model.dispose();
  });
});
