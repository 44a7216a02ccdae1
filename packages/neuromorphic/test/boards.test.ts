import { expect } from 'chai';
import {
  assignChips, BOARDS, BUILTIN_CHIPS, crossbar, hardwareLayers, mapGraph, onBoard, quantizeGraph, quantizeInput, simulateInteger, speckNeed, splitRanges, validateGraph,
  type ChipProfile, type ConvNode, type HardwareGraph,
} from '../src/index.js';
import { conv, lif, lin, randomSpikes, rng } from './helpers.js';

const edges = (pairs: string[][]): HardwareGraph['edges'] => pairs.map(([from, to]) => ({ from: from as string, to: to as string }));

/** input [h, h, cin] -> conv k x k -> lif -> flatten -> linear -> lif -> output */
function net(h: number, cin: number, cout: number, k: number, units: number, seed = 3, extra: Partial<ConvNode> = {}): HardwareGraph {
  const r = rng(seed);
  const c = conv('conv', cin, cout, k, r, extra);
  const [s, p] = [c.stride[0], c.padding[0]];
  const ho = Math.floor((h + 2 * p - k) / s) + 1;
  return {
    name: 'n',
    nodes: [
      { kind: 'input', name: 'in', shape: [h, h, cin] }, c, lif('lif1', [ho, ho, cout], 0.5, 0.4), { kind: 'flatten', name: 'flat', order: 'hwc' },
      lin('fc', ho * ho * cout, units, r), lif('lif2', [units], 0.5, 0.4), { kind: 'output', name: 'out', shape: [units] },
    ],
    edges: edges([['in', 'conv'], ['conv', 'lif1'], ['lif1', 'flat'], ['flat', 'fc'], ['fc', 'lif2'], ['lif2', 'out']]),
    metadata: {},
  };
}

describe('Speck / DynapCNN memory (sinabs formulas, power-of-two rounding)', () => {
  const layersOf = (g: HardwareGraph) => hardwareLayers(g, validateGraph(g).shapes);

  it('reproduces the documentation example: conv 16 -> 32, 3 x 3 on 64 x 64 needs 8 Ki kernel and 128 Ki neuron entries', () => {
    const [l1] = layersOf(net(64, 16, 32, 3, 4));
    // K = c * 2^(ceil log2(kx*ky) + ceil log2 f) = 16 * 2^(4 + 5); N = f * 2^(ceil log2 fx + ceil log2 fy) = 32 * 2^(6 + 6)
    expect(speckNeed(l1 as never)).to.deep.equal({ layer: 'lif1', kernelMemory: 8192, neuronMemory: 131072 });
  });

  it('rounds each dimension up to a power of two: kernel area, output channels, feature-map rows and columns; a linear layer is a conv over its input map', () => {
    const [l1, l2] = layersOf(net(7, 3, 10, 3, 10));
    // conv 3 -> 10, 3 x 3, 7 x 7 out: kernel 3 * 16 (9 -> 16) * 16 (10 -> 16) = 768; neurons 10 * 8 * 8 = 640
    expect(speckNeed(l1 as never)).to.deep.equal({ layer: 'lif1', kernelMemory: 768, neuronMemory: 640 });
    // linear 7*7*10 -> 10 = conv of a 7 x 7 kernel over 10 channels onto 1 x 1: kernel 10 * 64 (49 -> 64) * 16 (10 -> 16) = 10240; neurons 10
    expect(speckNeed(l2 as never)).to.deep.equal({ layer: 'lif2', kernelMemory: 10240, neuronMemory: 10 });
    // conv 2 -> 8, 5 x 5, stride 2, pad 1 on 34 x 34 -> 16 x 16: kernel 2 * 32 (25 -> 32) * 8 = 512; neurons 8 * 16 * 16 = 2048
    const [s1] = layersOf(net(34, 2, 8, 5, 4, 1, { stride: [2, 2], padding: [1, 1] }));
    expect(speckNeed(s1 as never)).to.deep.equal({ layer: 'lif1', kernelMemory: 512, neuronMemory: 2048 });
  });

  it('refuses a layer no core can hold, naming its memories', () => {
    const g = net(64, 16, 32, 3, 4);
    const ifg = { ...g, nodes: g.nodes.map((n) => (n.kind === 'population' ? { ...n, model: 'if' as const, decay: 1 } : n)) };
    const m = mapGraph(ifg, BUILTIN_CHIPS.speck as ChipProfile);
    expect(m.violations.map((v) => v.message)).to.include('lif1: needs kernel memory 8192 and neuron memory 131072, and no free core holds both: reduce channels or feature-map size of this layer');
  });
});

describe('boards of several chips', () => {
  it('names boards with their published chip counts (Kapoho Bay 2, Nahuku 32, SpiNNaker2 48) and marks assumed grids unverified', () => {
    const loihi = BUILTIN_CHIPS.loihi as ChipProfile;
    const kb = onBoard(loihi, { name: 'kapoho-bay' });
    expect([kb.board?.chips.value, kb.board?.layout.value, kb.cores.value]).to.deep.equal([2, [2, 1], 128]);
    expect(onBoard(loihi, { name: 'nahuku' }).board?.chips.value).to.equal(32);
    expect(onBoard(BUILTIN_CHIPS.spinnaker2 as ChipProfile, { name: 'spinnaker2-48' }).board?.chips.value).to.equal(48);
    for (const [name, b] of Object.entries(BOARDS)) for (const f of [b.chips, b.layout]) if (!f.verified) expect(f.note, name).to.be.a('string');
    expect(onBoard(loihi, { chips: 1 })).to.equal(loihi);
    expect(onBoard(loihi, { chips: 6 }).board?.layout.value).to.deep.equal([3, 2]);
    expect(() => onBoard(BUILTIN_CHIPS.loihi2 as ChipProfile, { name: 'kapoho-bay' })).to.throw('board kapoho-bay: chip got "loihi2"; expected loihi (the chip kapoho-bay carries); pass --target loihi.');
    expect(() => onBoard(loihi, { name: 'kapoho' })).to.throw('board: name got "kapoho"; expected one of kapoho-bay, nahuku, nahuku-8, pohoiki-beach, spinnaker2-48.');
    expect(() => onBoard(BUILTIN_CHIPS.speck as ChipProfile, { chips: 2 })).to.throw(/boards of several speck chips are not modelled/);
  });

  it('cuts a chain of cores across chips where the least traffic crosses (dynamic programme over cut points)', () => {
    // 6 cores, 4 per chip: the cut can fall after core 2, 3 or 4; the 2 -> 3 flow is the lightest
    const flows = [[0, 1, 10], [1, 2, 10], [2, 3, 1], [3, 4, 10], [4, 5, 10], [0, 5, 0.5]].map(([from, to, spikes]) => ({ from: from as number, to: to as number, spikes: spikes as number }));
    const a = assignChips(6, flows, 3, 4);
    expect(a.chipOf).to.deep.equal([0, 0, 0, 1, 1, 1]);
    expect([a.chipsUsed, a.coresPerChip, a.cutSpikes]).to.deep.equal([2, [3, 3], [1.5]]);
    expect(() => assignChips(13, flows, 3, 4)).to.throw('assignChips: 13 cores, got more than 3 chips x 4 cores; expected at most 12. Use a board with more chips.');
  });

  it('maps a model too big for one chip onto two: cores per chip within the chip, every crossing flow counted as inter-chip traffic', () => {
    const g = net(16, 8, 16, 3, 64);
    const chip = crossbar({ cores: 12, axons: 512, neurons: 256 });
    const one = mapGraph(g, chip);
    expect(one.cores.length).to.equal(24);
    expect(one.violations.find((v) => v.rule === 'cores')?.message).to.equal('(model): the model needs 24 cores > 12 cores on crossbar: map onto 2 chips (--chips 2, or a board such as --board kapoho-bay for loihi), or use fewer channels or a smaller input');
    const two = mapGraph(g, onBoard(chip, { chips: 2 }));
    expect(two.fits).to.equal(true);
    expect(two.chips.used).to.equal(2);
    expect(two.chips.coresPerChip.reduce((a, b) => a + b, 0)).to.equal(two.cores.length);
    for (const n of two.chips.coresPerChip) expect(n).to.be.at.most(12);
    const chipOf = two.cores.map((c) => c.chip);
    const crossing = two.flows.filter((f) => chipOf[f.from] !== chipOf[f.to]).reduce((a, f) => a + f.spikes, 0);
    expect(crossing).to.be.above(0);
    expect(two.interChip.spikesPerStep).to.be.closeTo(crossing, 1e-9);
    expect(two.interChip.bytesPerStep).to.be.closeTo(4 * crossing, 1e-9);
    // positions are distinct inside each chip
    for (const k of [0, 1]) {
      const pos = two.cores.filter((c) => c.chip === k).map((c) => String(c.position));
      expect(new Set(pos).size).to.equal(pos.length);
    }
    expect(two.latency.chipCrossings).to.equal(1);
    expect(two.latency.path).to.deep.equal(['lif1', 'lif2', 'out'].slice(0, two.latency.path.length));
    expect(two.latency.ns).to.equal(null);
  });
});

describe('fan-in split into partial sums', () => {
  it('maps a fan-in over the axons without a violation, reporting the split', () => {
    const m = mapGraph(net(4, 128, 16, 3, 10), BUILTIN_CHIPS.truenorth as ChipProfile);
    expect(m.violations.filter((v) => v.rule === 'fan-in')).to.deep.equal([]);
    expect(m.partialSums.find((p) => p.layer === 'lif1')?.message).to.match(/^lif1: fan-in 1152 > 256 axons per core: split into 5 partial sums on \d+ cores$/);
  });

  it('cuts inputs into contiguous ranges: linear rows, conv input channels within each group', () => {
    const r = rng(1);
    const f = splitRanges(lin('fc', 10, 2, r), [10], 3);
    expect(Array.from({ length: 10 }, (_, i) => f(i))).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    const c = splitRanges(conv('c', 8, 4, 3, r, { groups: 2, weight: new Float32Array(3 * 3 * 4 * 4) }), [5, 5, 8], 2);
    expect(Array.from({ length: 16 }, (_, i) => c(i))).to.deep.equal([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('the integer simulator computes the same spikes and outputs with the fan-in in partial sums (event and dense), and counts saturated partial sums', () => {
    const g = net(6, 24, 8, 3, 12, 5);
    const q = quantizeGraph(g, { bits: 8, scheme: 'per-channel' });
    const x = randomSpikes(6, 6 * 6 * 24, 0.3, rng(9)).map((v) => quantizeInput(v, q.inputUnit));
    const base = simulateInteger(q.graph, { in: x }, { mode: 'event', recordOutputs: true, recordNeuronCounts: true });
    expect(base.spikeCounts.lif1, 'the net spikes, so equality means something').to.be.above(0);
    expect(base.spikeCounts.lif2).to.be.above(0);
    for (const mode of ['event', 'dense'] as const) {
      const split = simulateInteger(q.graph, { in: x }, { mode, recordOutputs: true, recordNeuronCounts: true, partialSums: { conv: 3, fc: 4 } });
      expect(split.neuronCounts, mode).to.deep.equal(base.neuronCounts);
      expect(split.outputSum, mode).to.deep.equal(base.outputSum);
      expect(split.partialSumSaturations).to.equal(0);
      if (mode === 'event') expect(split.synapticOps).to.equal(base.synapticOps);
    }
    // with 9-bit state, partial sums of up to 8 x 127 saturate where the whole sum is clipped only once
    const tight = simulateInteger(q.graph, { in: x }, { mode: 'event', stateBits: 9, partialSums: { conv: 3 } });
    expect(tight.partialSumSaturations).to.be.above(0);
    const tightDense = simulateInteger(q.graph, { in: x }, { mode: 'dense', stateBits: 9, partialSums: { conv: 3 }, recordNeuronCounts: true });
    const tightEvent = simulateInteger(q.graph, { in: x }, { mode: 'event', stateBits: 9, partialSums: { conv: 3 }, recordNeuronCounts: true });
    expect(tightEvent.neuronCounts).to.deep.equal(tightDense.neuronCounts);
  });
});
