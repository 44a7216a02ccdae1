import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, installPlugin, LIF, normIntoNeuron, Registry, deepspikePlugin as corePlugin, type Layer, type NeuronLayer } from '@deepspike/core';
import { MembranePotentialBN } from '@deepspike/tdbn';
import { modelToGraph, type PopulationNode } from '../src/index.js';
import { ChainNet, convFcLayers, expectSpikesMatchOnSmallBatch } from './helpers.js';

const reg = new Registry();
installPlugin(corePlugin, reg);

/** conv -> MPBN -> LIF -> flatten -> linear; the MPBN runs inside the LIF. */
class Net extends ChainNet {
  constructor(readonly mp: MembranePotentialBN, readonly lif: NeuronLayer) {
    super('net', reg, convFcLayers([['mp', mp], ['lif', lif]]));
  }
  override forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = this.encoder.encode(x, this.timesteps);
      h = (this.layers.get('conv') as Layer).forward(h);
      h = normIntoNeuron(this.mp, this.lif, h);
      h = (this.layers.get('fc') as Layer).forward((this.layers.get('flat') as Layer).forward(h));
      return tf.mean(h, 0);
    });
  }
}

describe('MPBN to hardware graphs: folded into per-channel thresholds', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('an inference-mode MPBN becomes the thresholds of the population it runs in, with the same spikes as the model', () => {
    const mp = new MembranePotentialBN('mp', { channels: 3 });
    mp.lambda.assign(tf.tensor1d([1.3, 0.7, 1.0]));
    mp.beta.assign(tf.tensor1d([0.1, -0.2, 0.05]));
    mp.runningMean.assign(tf.tensor1d([0.2, -0.1, 0.3]));
    mp.runningVar.assign(tf.tensor1d([0.5, 1.4, 0.9]));
    const model = new Net(mp, new LIF('lif', { vth: 0.5, tau: 0.5 }));
    model.setTraining(false);
    const populations = new Map<Layer, string>();
    const graph = modelToGraph(model, { inputShape: [6, 6, 1], timesteps: 4, populations });
    expect(graph.nodes.map((n) => n.name)).to.not.include('mp');
    const pop = graph.nodes.find((n) => n.name === 'lif') as PopulationNode;
    expect(Array.from(pop.threshold as Float64Array)).to.deep.equal(Array.from(mp.foldedThresholds(0.5)));
    expect((pop.threshold as Float64Array)[0]).to.be.closeTo((0.5 - 0.1) * Math.sqrt(0.5 + 1e-5) / 1.3 + 0.2, 1e-6);
    expectSpikesMatchOnSmallBatch(model, graph, populations, 8);
    model.dispose();
  });

  it('refuses a channel with lambda <= 0, naming the norm', () => {
    const mp = new MembranePotentialBN('mp', { channels: 3 });
    mp.lambda.assign(tf.tensor1d([1, -0.5, 1]));
    const model = new Net(mp, new LIF('lif'));
    expect(() => modelToGraph(model, { inputShape: [6, 6, 1], timesteps: 4 })).to.throw(/node "mp" is an MPBN with lambda -0.5 on channel 1, which does not fold into a threshold on u/);
  });
});
