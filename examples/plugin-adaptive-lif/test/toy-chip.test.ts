import { expect } from 'chai';
import { InvalidArgumentError, registry, installPlugin } from '@deepspike/core';
import { deepspikePlugin as neuromorphicPlugin } from '@deepspike/neuromorphic';
import { deepspikePlugin, toyChip, alifMessages } from '../src/index.js';

describe('toy-chip target', () => {
  before(() => {
    installPlugin(neuromorphicPlugin);
    installPlugin(deepspikePlugin);
  });

  it('is registered next to the built-in chips and builds its profile from options', () => {
    expect(registry.names('target')).to.include.members(['loihi', 'crossbar', 'toy-chip']);
    const chip = registry.get('target', 'toy-chip').create({ cores: 10 });
    expect([chip.name, chip.cores.value, chip.mesh.value, chip.neuronsPerCore.value, chip.axonsPerCore.value, chip.weightBits.value]).to.deep.equal(['toy-chip', 10, [4, 3], 128, 128, 8]);
    expect(chip.mesh.value[0] * chip.mesh.value[1]).to.be.at.least(chip.cores.value);
    expect(registry.list('target').find((e) => e.name === 'toy-chip')?.plugin).to.equal('@deepspike-examples/plugin-adaptive-lif');
  });

  it('cites its source on every sourced field', () => {
    const chip = toyChip();
    const sourced = [chip.cores, chip.mesh, chip.neuronsPerCore, chip.axonsPerCore, chip.synapseBitsPerCore, chip.weightBits, chip.stateBits, chip.thresholdBits, chip.decayBits, chip.perNeuronThreshold, chip.neuronModels, chip.energy.synapticOpPJ];
    for (const s of sourced) expect(s.source).to.match(/plugin-adaptive-lif/);
    expect(chip.cores.value).to.equal(16);
  });

  it('rejects a bad option', () => {
    expect(() => toyChip({ cores: 0 })).to.throw(InvalidArgumentError, alifMessages.targetOption('cores', 0, 'an integer in [1, 4096]'));
  });
});
