import { expect } from 'chai';
import { installPlugin, Registry } from '@deepspike/core';
import {
  BUILTIN_CHIPS, crossbar, deepspikePlugin, estimateEnergy, fanOut, hardwareLayers, mapGraph, matchLayersToCores, partition, placeCores,
  sourceRegion, validateGraph, type ChipProfile, type HardwareGraph, type Sourced,
} from '../src/index.js';
import { conv, lif, lin, residualNet, rng } from './helpers.js';

/** input [h, w, cin] -> conv k x k (pad (k-1)/2) -> lif -> linear -> output */
function convNet(h: number, cin: number, cout: number, k = 3): HardwareGraph {
  const r = rng(4);
  return {
    name: 'c',
    nodes: [{ kind: 'input', name: 'in', shape: [h, h, cin] }, conv('conv', cin, cout, k, r), lif('lif', [h, h, cout]), { kind: 'flatten', name: 'flat', order: 'hwc' }, lin('fc', h * h * cout, 10, r), { kind: 'output', name: 'out', shape: [10] }],
    edges: [['in', 'conv'], ['conv', 'lif'], ['lif', 'flat'], ['flat', 'fc'], ['fc', 'out']].map(([from, to]) => ({ from: from as string, to: to as string })),
    metadata: {},
  };
}

describe('chip targets', () => {
  it('registers the eight chips as kind target; a plugin can add one', () => {
    const reg = new Registry();
    installPlugin(deepspikePlugin, reg);
    expect(reg.names('target')).to.deep.equal(['crossbar', 'loihi', 'loihi2', 'speck', 'spinnaker2', 'tianjic', 'truenorth', 'xylo']);
    expect(reg.get('target', 'loihi').create().neuronsPerCore.value).to.equal(1024);
    expect(reg.get('target', 'crossbar').create({ cores: 4, axons: 128 }).axonsPerCore.value).to.equal(128);
    reg.register('target', 'mychip', { create: () => crossbar({ cores: 2 }) });
    expect(reg.get('target', 'mychip').create().cores.value).to.equal(2);
  });

  it('cites a source for every number and explains every unverified one', () => {
    for (const chip of [...Object.values(BUILTIN_CHIPS), crossbar()]) {
      const fields = Object.entries(chip).filter(([, x]) => x && typeof x === 'object' && 'source' in x) as [string, Sourced<unknown>][];
      fields.push(...(Object.entries(chip.energy) as [string, Sourced<unknown>][]));
      expect(fields.length, chip.name).to.be.greaterThan(10);
      for (const [k, f] of fields) {
        expect(f.source.length, `${chip.name}.${k}`).to.be.greaterThan(10);
        if (!f.verified) expect(f.note, `${chip.name}.${k}`).to.be.a('string');
      }
    }
    expect(BUILTIN_CHIPS.loihi?.cores.value).to.equal(128);
    expect(BUILTIN_CHIPS.truenorth?.axonsPerCore.value).to.equal(256);
    expect(BUILTIN_CHIPS.truenorth?.axonTypes?.value).to.equal(4);
    expect(BUILTIN_CHIPS.tianjic?.cores.value).to.equal(156);
    expect(BUILTIN_CHIPS.speck?.coreKinds?.value).to.have.length(9);
  });
});

describe('design rules, partition, placement', () => {
  it('splits a fan-in over the axons into partial sums and says so (1152 > 256: 5 partial sums), not as a violation', () => {
    const g = convNet(4, 128, 16);
    const m = mapGraph(g, BUILTIN_CHIPS.truenorth as ChipProfile);
    expect(m.violations.find((x) => x.rule === 'fan-in')).to.equal(undefined);
    const p = m.partition.find((x) => x.layer === 'lif');
    expect(p?.splits).to.equal(5);
    expect(m.partialSums.find((x) => x.layer === 'lif')?.message).to.equal(`lif: fan-in 1152 > 256 axons per core: split into 5 partial sums on ${p?.cores} cores`);
  });

  it('computes the receptive-field axons of a conv tile, clipped at the borders', () => {
    const g = convNet(8, 4, 6);
    const layer = hardwareLayers(g, validateGraph(g).shapes)[0];
    const c = layer?.connections[0];
    if (!c) throw new Error('no connection');
    // interior 2x2 tile: rows (2-1)*1 + (3-1)*1 + 1 = 4 -> [1, 5)
    expect(sourceRegion(c, { y: [2, 4], x: [2, 4], c: [0, 6] })).to.deep.equal({ y: [1, 5], x: [1, 5], c: [0, 4] });
    // corner tile clipped: [0, 3)
    expect(sourceRegion(c, { y: [0, 2], x: [0, 2], c: [0, 6] })).to.deep.equal({ y: [0, 3], x: [0, 3], c: [0, 4] });
  });

  it('tiles within the core limits and covers every neuron once per partial sum', () => {
    const chip = crossbar({ cores: 256, axons: 64, neurons: 32 });
    const g = residualNet(2, 4, 8);
    const layers = hardwareLayers(g, validateGraph(g).shapes);
    const p = partition(layers, chip);
    for (const c of p.cores) {
      expect(c.neurons).to.be.at.most(32);
      expect(c.axons).to.be.at.most(64);
    }
    for (const l of layers) {
      const lp = p.layers.find((x) => x.layer === l.name);
      const covered = p.cores.filter((c) => c.layer === l.name).reduce((a, c) => a + c.neurons, 0);
      expect(covered, l.name).to.equal(l.neurons * (lp?.splits ?? 1));
    }
    // lif2 has a residual: fan-in 3*3*4 (conv2) + 1 (identity) = 37
    expect(layers.find((l) => l.name === 'lif2')?.fanIn).to.equal(37);
  });

  it('matches layers to heterogeneous cores where a greedy choice fails (Speck)', () => {
    const cores = [{ id: 0, kernelMemory: 100, neuronMemory: 100 }, { id: 1, kernelMemory: 50, neuronMemory: 100 }];
    const needs = [{ layer: 'a', kernelMemory: 40, neuronMemory: 10 }, { layer: 'b', kernelMemory: 90, neuronMemory: 10 }];
    expect(matchLayersToCores(needs, cores)).to.deep.equal([1, 0]);
    expect(matchLayersToCores([...needs, { layer: 'c', kernelMemory: 1, neuronMemory: 1 }], cores)).to.include(null);
  });

  it('places a chain of cores so that heavy flows are one hop apart', () => {
    // cores 0-1-2-3 chain with 10 spikes/step each; 3 <-> 0 light. On a 2x2 mesh the optimum is a ring: cost 31.
    const flows = [{ from: 0, to: 2, spikes: 10 }, { from: 2, to: 1, spikes: 10 }, { from: 1, to: 3, spikes: 10 }, { from: 3, to: 0, spikes: 1 }];
    const p = placeCores(4, [2, 2], flows, { seed: 3 });
    expect(p.hopWeightedTraffic).to.equal(31);
    expect(p.initialHopWeightedTraffic).to.be.greaterThan(31);
    expect(p.interCoreSpikes).to.equal(31);
    const d = (a: number, b: number): number => Math.abs(p.positions[a]![0] - p.positions[b]![0]) + Math.abs(p.positions[a]![1] - p.positions[b]![1]);
    expect(flows.reduce((s, f) => s + f.spikes * d(f.from, f.to), 0)).to.equal(p.hopWeightedTraffic);
  });

  it('maps the residual net on loihi without violations; speck refuses LIF and a crossbar of 2 cores is too small', () => {
    const g = residualNet();
    const m = mapGraph(g, BUILTIN_CHIPS.loihi as ChipProfile, { rates: { lif1: 0.2, lif2: 0.1, lif3: 0.05 } });
    expect(m.violations).to.deep.equal([]);
    expect(m.placement?.hopWeightedTraffic).to.be.at.most(m.placement?.initialHopWeightedTraffic ?? 0);
    const s = mapGraph(g, BUILTIN_CHIPS.speck as ChipProfile);
    expect(s.violations.map((v) => v.message)).to.include('lif1: LIF neurons (decay 0.25) but speck runs IF neurons only: retrain with IF neurons (tau = 1) or pick a chip with leaky neurons (loihi, loihi2, tianjic)');
    const tiny = mapGraph(g, crossbar({ cores: 2, axons: 64, neurons: 64 }));
    expect(tiny.fits).to.equal(false);
    expect(tiny.violations.find((v) => v.rule === 'cores')?.message).to.match(/^\(model\): the model needs \d+ cores > 2 cores on crossbar: /);
  });
});

describe('energy', () => {
  it('counts exact SOPs with borders: a corner spike reaches 4 outputs, a centre spike 9', () => {
    const r = rng(1);
    const g: HardwareGraph = {
      name: 'e',
      nodes: [{ kind: 'input', name: 'in', shape: [3, 3, 1] }, lif('a', [3, 3, 1]), conv('conv', 1, 2, 3, r), lif('b', [3, 3, 2]), { kind: 'output', name: 'out', shape: [3, 3, 2] }],
      edges: [['in', 'a'], ['a', 'conv'], ['conv', 'b'], ['b', 'out']].map(([from, to]) => ({ from: from as string, to: to as string })),
      metadata: {},
    };
    const layers = hardwareLayers(g, validateGraph(g).shapes);
    const b = layers.find((l) => l.name === 'b');
    expect(Array.from(fanOut(b!.connections[0]!))).to.deep.equal([8, 12, 8, 12, 18, 12, 8, 12, 8]);
    // 3 corner spikes + 1 centre spike over 2 samples
    const counts = { a: [2, 0, 0, 0, 1, 0, 0, 0, 1], b: new Array(18).fill(0) };
    const e = estimateEnergy(layers, { samples: 2, steps: 4, neuronCounts: counts, inputIsSpikes: false });
    const row = e.layers.find((l) => l.layer === 'b');
    expect(row?.sops).to.equal((2 * 8 + 18 + 8) / 2);
    // layer a: identity from the analog input: 9 synapses each step = 36 MACs
    expect(e.layers.find((l) => l.layer === 'a')?.macs).to.equal(36);
    expect(row?.annMacs).to.equal(2 * (4 * 4 + 4 * 6 + 9));
    expect(e.energy45PJ).to.be.closeTo(21 * 0.9 + 36 * 4.6, 1e-9);
    const e2 = estimateEnergy(layers, { samples: 2, steps: 4, neuronCounts: counts, inputIsSpikes: false }, { constants: { acPJ: 1, macPJ: 2 }, chip: BUILTIN_CHIPS.loihi });
    expect(e2.energy45PJ).to.equal(21 + 72);
    expect(e2.chipBreakdown.synapticPJ).to.be.closeTo((21 + 36) * 23.6, 1e-9);
    expect(e2.annEnergy45PJ).to.equal((98 + 9) * 2);
  });
});
