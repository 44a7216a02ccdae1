import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { BasicBlock, deepspikePlugin as corePlugin, installPlugin, Registry } from '@deepspike/core';
import { deepspikePlugin, TdBN } from '@deepspike/tdbn';
import { randnTensor, useBackend } from './helpers.js';

describe("core's blocks build their norms from this plugin", () => {
  before(() => useBackend('cpu'));

  for (const kind of ['tdbn', 'bn', 'bntt', 'tebn']) {
    it(`a BasicBlock with norm "${kind}" trains a step and runs inference`, () => {
      const registry = new Registry();
      installPlugin(corePlugin, registry);
      installPlugin(deepspikePlugin, registry);
      const block = new BasicBlock('block', {
        inChannels: 3,
        filters: 4,
        norm: { kind, options: { timesteps: 2 } },
        neuron: { kind: 'lif', options: { vth: 0.5, tau: 0.25 } },
        registry,
        seed: 1,
      });
      const names = [...block.namedParameters().keys()];
      expect(names).to.include.members(['norm1.lambda', 'norm1.beta', 'norm1.runningMean', 'norm1.runningVar', 'norm2.lambda', 'shortcutNorm.beta']);
      if (kind === 'tdbn') {
        const [n1, n2] = [block.norm1 as TdBN, block.norm2 as TdBN];
        expect([n1.alpha, n1.vth, n2.alpha, n2.vth]).to.deep.equal([1, 0.5, Math.SQRT1_2, 0.5]);
      }
      const x = randnTensor([2, 2, 5, 5, 3], 90, 0.5, 1);
      const trainable = [...block.trainableParameters().values()];
      const { value, grads } = tf.variableGrads(() => tf.sum(block.forward(x)) as tf.Scalar, trainable);
      expect(Object.keys(grads)).to.have.length(trainable.length);
      const rm = block.namedParameters().get('norm1.runningMean')!.dataSync();
      expect(Array.from(rm).some((v) => v !== 0)).to.equal(true);
      block.setTraining(false);
      const before = tf.memory().numTensors;
      const y = block.forward(x);
      expect(y.shape).to.deep.equal([2, 2, 5, 5, 4]);
      y.dispose();
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([x, value, ...Object.values(grads)]);
      block.dispose();
    });
  }
});
