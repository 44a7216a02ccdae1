import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, GlobalAvgPool, initBackend, Linear, Pool, Sequential } from '@deepspike/core';
import { countOps, spikeMultiplicity, ZOO, zooTable, type ZooResult } from '@deepspike/bench';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

describe('bench zoo: operation counting and the zoo table', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('spike multiplicity: 1 for counts, k for spikes averaged over k, 0 for real values', () => {
    expect(spikeMultiplicity(tf.tensor1d([0, 1, 2, 0]))).to.equal(1);
    expect(spikeMultiplicity(tf.tensor1d([0, 0.25, 0.5, 1]))).to.equal(4);
    expect(spikeMultiplicity(tf.tensor1d([0, 1 / 49, 3 / 49]))).to.equal(49);
    expect(spikeMultiplicity(tf.tensor1d([0.3, 0.7]))).to.equal(0);
    expect(spikeMultiplicity(tf.tensor1d([0, -1]))).to.equal(0);
    expect(spikeMultiplicity(tf.zeros([3]))).to.equal(1);
  });

  it('SOPs of spikes through a padded conv, an average pool and a linear layer, counted by hand; MACs for an analog input', () => {
    // one sample, T = 1, 4x4x1: spikes at a corner (0,0) and the centre-ish (1,1)
    const conv = new Conv2d('c', { inChannels: 1, filters: 2, kernel: 3, padding: 'same', bias: false, seed: 1 });
    const pool = new Pool('p', { mode: 'avg', size: 2 });
    const gap = new GlobalAvgPool('g');
    const fc = new Linear('fc', { inFeatures: 2, units: 3, seed: 2 });
    const net = new Sequential('net', [conv, pool, gap, fc]);
    const data = new Array(16).fill(0);
    data[0] = 1; // corner: reaches the 2x2 outputs around it -> 4 positions x 2 filters
    data[5] = 1; // (1,1): all 9 outputs -> 9 x 2
    const x = tf.tensor(data, [1, 1, 4, 4, 1]);
    const { ops, output } = countOps(net, () => net.forward(x));
    // conv: 8 + 18 = 26 SOPs; the conv output is real (weights), so the linear after the pools costs MACs: 2 x 3
    expect(ops.sops).to.equal(26);
    expect(ops.macs).to.equal(6);
    output.dispose();
    // analog input: every valid synapse is a MAC (4x4 'same' 3x3: 36 + 4*... = sum of window sizes), times 2 filters
    const analog = tf.fill([1, 1, 4, 4, 1], 0.3);
    const r = countOps(conv, () => conv.forward(analog));
    // valid taps per output on 4x4 with 'same' 3x3: corners 4, edges 6, interior 9 -> 4*4 + 8*6 + 4*9 = 100
    expect([r.ops.sops, r.ops.macs]).to.deep.equal([0, 200]);
    r.output.dispose();
    // spikes averaged by a pool count once per spike and synapse: avg pool 2x2 of 4 spikes then a linear of 3 units
    const spikes = tf.ones([1, 1, 2, 2, 1]);
    const g2 = new GlobalAvgPool('g2');
    const fc2 = new Linear('fc2', { inFeatures: 1, units: 3, seed: 3 });
    const s2 = new Sequential('s2', [g2, fc2]);
    const r2 = countOps(s2, () => s2.forward(spikes));
    expect(r2.ops.sops).to.equal(12); // the mean of 4 spikes is 1, but each of the 4 drives the 3 synapses: the pool tags its output
    r2.output.dispose();
    tf.dispose([x, analog, spikes]);
    net.dispose();
    s2.dispose();
  });

  it('every zoo entry names an example model file, and the table prints a row per model', () => {
    for (const z of ZOO) expect(existsSync(fileURLToPath(new URL(`../../../examples/${z.folder}/${z.folder}.snn.json`, import.meta.url))), z.folder).to.equal(true);
    const r: ZooResult = {
      backend: 'cpu',
      date: '2026-01-01',
      samples: 1,
      iters: 1,
      cpus: 2,
      loadBefore: 1,
      loadAfter: 1,
      rows: [{ model: 'm', architecture: 'A', paper: 'P', input: '4x4x1', timesteps: 2, params: 1234, sopsPerSample: 2.5e6, macsPerSample: 10, attentionSopsPerSample: 0, meanFiringRate: 0.1234, inferSamplesPerSec: 12.3, inferBatch: 2, trainSamplesPerSec: null, trainBatch: 2 }],
    };
    expect(zooTable(r).split('\n')[2]).to.equal('| `examples/m` | A | 4x4x1, 2 | 1,234 | 2.5 M | 10 | 0.123 | 12 (2) | — | P | — |');
  });
});
