import { expect } from 'chai';
import {
  estimateEnergy, foldGraph, FoldError, hardwareLayers, quantizeGraph, quantizeInput, QuantError, simulateFloat, simulateInteger, validateGraph,
  type AffineNode, type ConvNode, type GraphEdge, type GraphNode, type HardwareGraph, type LinearNode, type PopulationNode,
} from '../src/index.js';
import { conv, lif, lin, randomSpikes, residualNet, rng } from './helpers.js';

/** A random net: conv (random stride/groups) -> lif -> conv -> lif (+ identity residual when shapes allow) -> [pool] -> flatten -> fc -> out. */
function randomNet(seed: number, withPool: boolean): HardwareGraph {
  const r = rng(seed);
  const hw = 6 + Math.floor(r() * 4);
  const c = 2 + 2 * Math.floor(r() * 2);
  const k = r() < 0.5 ? 3 : 1;
  const groups = r() < 0.3 ? 2 : 1;
  const stride = r() < 0.3 ? 2 : 1;
  const h2 = Math.floor((hw + 2 * ((3 - 1) / 2) - 3) / stride) + 1;
  const nodes: GraphNode[] = [
    { kind: 'input', name: 'input', shape: [hw, hw, 2] },
    conv('conv1', 2, c, 3, r, { stride: [stride, stride] }),
    lif('lif1', [h2, h2, c], 0.25 + 0.5 * r(), 0.2 + 0.3 * r()),
    conv('conv2', c, c, k, r, { groups }),
    lif('lif2', [h2, h2, c], 0.5, 0.3),
  ];
  const edges: [string, string][] = [['input', 'conv1'], ['conv1', 'lif1'], ['lif1', 'conv2'], ['conv2', 'lif2'], ['lif1', 'lif2']];
  let last = 'lif2';
  let size = h2 * h2 * c;
  if (withPool && h2 % 2 === 0) {
    nodes.push({ kind: 'pool', name: 'pool', mode: 'avg', kernel: [2, 2], stride: [2, 2], padding: [0, 0] });
    edges.push(['lif2', 'pool']);
    last = 'pool';
    size /= 4;
  }
  nodes.push({ kind: 'flatten', name: 'flat', order: r() < 0.5 ? 'hwc' : 'chw' }, lin('fc', size, 5, r), { kind: 'output', name: 'out', shape: [5] });
  edges.push([last, 'flat'], ['flat', 'fc'], ['fc', 'out']);
  return { name: `random${seed}`, nodes, edges: edges.map(([from, to]) => ({ from, to })), metadata: {} };
}

const analog = (T: number, size: number, r: () => number): Float64Array[] => {
  const frame = Float64Array.from({ length: size }, () => (r() < 0.5 ? 0 : r()));
  return Array.from({ length: T }, () => frame);
};

describe('integer simulator', () => {
  it('event-driven agrees bit for bit with the dense integer reference on 12 random graphs', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const g = randomNet(seed, seed % 2 === 0);
      const scheme = (['common', 'per-channel', 'loihi'] as const)[seed % 3] as 'common' | 'per-channel' | 'loihi';
      const q = quantizeGraph(g, { bits: 4 + (seed % 5), scheme });
      const r = rng(100 + seed);
      const size = (g.nodes[0] as { shape: readonly number[] }).shape.reduce((a, b) => a * b, 1);
      const x = analog(6, size, r).map((f) => quantizeInput(f, q.inputUnit));
      const a = simulateInteger(q.graph, { input: x }, { mode: 'event', recordNeuronCounts: true, recordOutputs: true });
      const b = simulateInteger(q.graph, { input: x }, { mode: 'dense', recordNeuronCounts: true, recordOutputs: true });
      expect(a.spikeCounts, `seed ${seed}`).to.deep.equal(b.spikeCounts);
      expect(Object.fromEntries(Object.entries(a.neuronCounts).map(([k, v]) => [k, Array.from(v)]))).to.deep.equal(Object.fromEntries(Object.entries(b.neuronCounts).map(([k, v]) => [k, Array.from(v)])));
      expect(a.outputs.out?.map((o) => Array.from(o))).to.deep.equal(b.outputs.out?.map((o) => Array.from(o)));
      expect(Object.values(a.spikeCounts).reduce((s, v) => s + v, 0), `seed ${seed} is silent`).to.be.greaterThan(0);
    }
  });

  it('counts exactly the synaptic ops the energy model predicts from spike counts (borders included)', () => {
    const g = randomNet(3, false);
    const q = quantizeGraph(g, { bits: 8, scheme: 'common' });
    const size = (g.nodes[0] as { shape: readonly number[] }).shape.reduce((a, b) => a * b, 1);
    const x = randomSpikes(5, size, 0.3, rng(7));
    const sim = simulateInteger(q.graph, { input: x }, { mode: 'event', recordNeuronCounts: true });
    const counts: Record<string, Float64Array> = { ...sim.neuronCounts, input: new Float64Array(size) };
    for (const f of x) f.forEach((v, i) => (counts.input![i] += v));
    const layers = hardwareLayers(q.graph, validateGraph(q.graph).shapes);
    const e = estimateEnergy(layers, { samples: 1, steps: 5, neuronCounts: counts, inputIsSpikes: true });
    expect(e.totals.sops).to.equal(sim.synapticOps);
    expect(e.totals.macs).to.equal(0);
  });

  it('runs the integer LIF by hand: u = trunc(k*v) + x, clipped, fire at u >= threshold', () => {
    const g: HardwareGraph = {
      name: 'h',
      nodes: [{ kind: 'input', name: 'in', shape: [1] }, lif('p', [1], 0.5, 10), { kind: 'output', name: 'out', shape: [1] }],
      edges: [{ from: 'in', to: 'p' }, { from: 'p', to: 'out' }],
      metadata: {},
    };
    // x = 7: u = 7, trunc(3.5)+7 = 10 (spike), 0+7 = 7, 10 (spike)
    const r = simulateInteger(g, { in: [7] }, { mode: 'event', steps: 4, recordOutputs: true });
    expect(r.outputs.out?.map((o) => o[0])).to.deep.equal([0, 1, 0, 1]);
    // negative potentials truncate toward zero: x = -3: -3, trunc(-1.5) - 3 = -4 -> clipped to -3 at 3 state bits, again, again
    const s = simulateInteger(g, { in: [-3] }, { mode: 'dense', steps: 4, stateBits: 3 });
    expect(s.saturations).to.equal(3);
  });
});

describe('quantisation', () => {
  it('keeps predictions and spike counts of the float graph at 16 bits', () => {
    const g = residualNet(7);
    const q = quantizeGraph(g, { bits: 16, scheme: 'common', inputBits: 8, stateBits: 40 });
    let agree = 0;
    for (let s = 0; s < 10; s++) {
      const x = randomSpikes(8, 128, 0.4, rng(200 + s));
      const f = simulateFloat(g, { input: x });
      const i = simulateInteger(q.graph, { input: x.map((v) => quantizeInput(v, q.inputUnit)) }, { mode: 'event' });
      const am = (a: Float64Array): number => a.indexOf(Math.max(...a));
      if (am(f.outputSum.output as Float64Array) === am(i.outputSum.output as Float64Array)) agree++;
      const tf = Object.values(f.spikeCounts).reduce((a, b) => a + b, 0);
      const ti = Object.values(i.spikeCounts).reduce((a, b) => a + b, 0);
      expect(Math.abs(tf - ti) / tf).to.be.lessThan(0.02);
    }
    expect(agree).to.be.at.least(9);
  });

  it('reports scales: one per layer (common), one per channel, Loihi exponents and 2^6-step thresholds', () => {
    const g = residualNet(8);
    const conv1 = g.nodes.find((n) => n.name === 'conv1') as ConvNode;
    const common = quantizeGraph(g, { bits: 8, scheme: 'common' });
    const l1 = common.layers.find((l) => l.layer === 'lif1');
    let maxW = 0;
    for (const w of conv1.weight) maxW = Math.max(maxW, Math.abs(w));
    expect(l1?.scale).to.deep.equal([(maxW * common.inputUnit) / 127]);
    expect(l1?.weightSaturated).to.equal(0);
    expect(l1?.thresholdMax).to.equal(Math.round(0.3 / (l1?.scale[0] as number)));
    const qc = common.graph.nodes.find((n) => n.name === 'conv1') as ConvNode;
    expect(Math.max(...Array.from(qc.weight, Math.abs))).to.equal(127);
    const pc = quantizeGraph(g, { bits: 8, scheme: 'per-channel' });
    expect(pc.layers.find((l) => l.layer === 'lif1')?.scale).to.have.length(4);
    const lo = quantizeGraph(g, { bits: 8, scheme: 'loihi' });
    const ll = lo.layers.find((l) => l.layer === 'lif2');
    expect(ll?.weightExponent).to.be.within(0, 7);
    const thr = (lo.graph.nodes.find((n) => n.name === 'lif2') as PopulationNode).threshold as number;
    expect(thr % 64).to.equal(0);
    const w2 = (lo.graph.nodes.find((n) => n.name === 'conv2') as ConvNode).weight;
    for (const w of w2) expect(w % 2 ** (ll?.weightExponent ?? 0)).to.equal(0);
    // identity residual edge gets an integer gain in lif2's unit
    expect(lo.graph.edges.find((e) => e.from === 'lif1' && e.to === 'lif2')?.gain).to.equal(Math.round(1 / (ll?.scale[0] as number)));
  });

  it('refuses bit widths out of range and unfolded norms', () => {
    expect(() => quantizeGraph(residualNet(), { bits: 1, scheme: 'common' })).to.throw(QuantError, 'quantizeGraph: bit width 1 is out of range, got 1; expected an integer in [2, 16]. Pick a width the chip supports.');
    expect(() => quantizeGraph(residualNet(), { bits: 33, scheme: 'common' })).to.throw(QuantError, 'got 33');
  });
});

/** residualNet with a per-channel affine (inference tdBN) after each conv / linear. */
function withNorms(seed: number, negative = false): HardwareGraph {
  const g = residualNet(seed);
  const r = rng(seed + 50);
  const nodes: GraphNode[] = [...g.nodes];
  let edges: GraphEdge[] = [...g.edges];
  for (const n of g.nodes) {
    if (n.kind !== 'conv' && n.kind !== 'linear') continue;
    const C = n.kind === 'conv' ? n.outChannels : n.outFeatures;
    const a: AffineNode = { kind: 'affine', name: `${n.name}.bn`, scale: Float64Array.from({ length: C }, (_, c) => (negative && c === 1 ? -0.5 : 0.5 + r())), shift: Float64Array.from({ length: C }, () => r() - 0.5) };
    nodes.push(a);
    edges = edges.flatMap((e) => (e.from === n.name ? [{ from: n.name, to: a.name }, { from: a.name, to: e.to }] : [e]));
  }
  return { ...g, nodes, edges };
}

describe('folding', () => {
  const inputs = Array.from({ length: 6 }, (_, s) => randomSpikes(8, 128, 0.4, rng(300 + s)));

  for (const mode of ['weights', 'thresholds', 'auto'] as const) {
    it(`folds tdBN into ${mode} with the same spikes as the unfolded graph`, () => {
      const g = withNorms(3);
      const { graph: f, records } = foldGraph(g, { mode: mode === 'thresholds' ? 'auto' : mode });
      expect(f.nodes.some((n) => n.kind === 'affine')).to.equal(false);
      if (mode === 'auto') expect(records.map((r) => `${r.norm}:${r.into}`)).to.deep.equal(['conv1.bn:thresholds', 'conv2.bn:weights', 'fc.bn:thresholds']);
      for (const x of inputs) {
        const a = simulateFloat(g, { input: x }, { recordNeuronCounts: true });
        const b = simulateFloat(f, { input: x }, { recordNeuronCounts: true });
        expect(b.spikeCounts).to.deep.equal(a.spikeCounts);
      }
    });
  }

  it('computes W\' = g*W and b\' = g*b + h (weights) and Vth\' = Vth/g, b\' = b + h/g (thresholds)', () => {
    const g = withNorms(4);
    const fc = g.nodes.find((n) => n.name === 'fc') as LinearNode;
    const bn = g.nodes.find((n) => n.name === 'fc.bn') as AffineNode;
    const w = foldGraph(g, { mode: 'weights' }).graph.nodes.find((n) => n.name === 'fc') as LinearNode;
    expect(w.weight[3 * 10 + 7]).to.equal(Math.fround((fc.weight[3 * 10 + 7] as number) * (bn.scale[7] as number)));
    expect(w.bias?.[7]).to.equal(Math.fround((bn.scale[7] as number) * (fc.bias?.[7] as number) + (bn.shift[7] as number)));
    const t = foldGraph(g, { mode: 'auto' }).graph;
    const lif3 = t.nodes.find((n) => n.name === 'lif3') as PopulationNode;
    expect((lif3.threshold as Float64Array)[7]).to.be.closeTo(0.3 / (bn.scale[7] as number), 1e-15);
    expect((t.nodes.find((n) => n.name === 'fc') as LinearNode).bias?.[7]).to.equal(Math.fround((fc.bias?.[7] as number) + (bn.shift[7] as number) / (bn.scale[7] as number)));
  });

  it('refuses threshold folding for g <= 0 and for a residual sum; auto falls back to weights', () => {
    expect(() => foldGraph(withNorms(5, true), { mode: 'thresholds' })).to.throw(FoldError, 'fold: layer "lif1" channel 1 has tdBN gain g = -0.5, got g <= 0; expected g > 0 to fold into thresholds (Vth/g). Use fold mode "weights" (or "auto").');
    const g = withNorms(5);
    const noConv2 = { ...g, nodes: g.nodes };
    expect(() => foldGraph(noConv2, { mode: 'thresholds' })).to.throw(FoldError, 'fold: population "lif2" sums 2 inputs');
    const auto = foldGraph(withNorms(5, true), { mode: 'auto' });
    expect(auto.records.find((r) => r.norm === 'conv1.bn')?.into).to.equal('weights');
    const noPer = foldGraph(withNorms(5), { mode: 'auto', perNeuronThreshold: false });
    expect(noPer.records.every((r) => r.into === 'weights')).to.equal(true);
  });
});
