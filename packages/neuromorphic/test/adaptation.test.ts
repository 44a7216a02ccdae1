import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepspikePlugin as corePlugin, InvalidArgumentError, installPlugin, Registry } from '@deepspike/core';
import {
  adaptationLimit, BUILTIN_CHIPS, checkHardwareNeuron, crossbar, deepspikePlugin, exportNIR, foldGraph, GraphError, mapGraph, messages, quantizeGraph, quantizeInput, simulateFloat, simulateInteger, TARGET_SCHEMAS,
  type AffineNode, type GraphEdge, type GraphNode, type HardwareGraph, type PopulationNode,
} from '../src/index.js';
import { conv, lif, lin, randomSpikes, rng } from './helpers.js';

/** input [1] -> one adaptive population -> output: the population's spikes are the output per step. */
function single(p: PopulationNode): HardwareGraph {
  return {
    name: 'one',
    nodes: [{ kind: 'input', name: 'in', shape: [1] }, p, { kind: 'output', name: 'out', shape: [1] }],
    edges: [{ from: 'in', to: p.name }, { from: p.name, to: 'out' }],
    metadata: {},
  };
}

const spikesOf = (r: { outputs: Record<string, Float64Array[]> }): number[] => (r.outputs.out ?? []).map((o) => o[0] as number);

/** A conv net whose populations adapt, with tdBN-like affine nodes (positive gains) before them. */
function adaptiveNet(seed: number): HardwareGraph {
  const r = rng(seed);
  const c = 4;
  const affine = (name: string, ch: number): AffineNode => ({
    kind: 'affine', name, scale: Float64Array.from({ length: ch }, () => 0.5 + r()), shift: Float64Array.from({ length: ch }, () => (r() - 0.5) * 0.2),
  });
  const nodes: GraphNode[] = [
    { kind: 'input', name: 'input', shape: [6, 6, 2] },
    conv('conv1', 2, c, 3, r),
    affine('bn1', c),
    lif('alif1', [6, 6, c], 0.25, 0.3, { adaptation: { beta: 0.2, rho: 0.9 } }),
    { kind: 'flatten', name: 'flat', order: 'hwc' },
    lin('fc', 6 * 6 * c, 5, r),
    affine('bn2', 5),
    lif('alif2', [5], 0.5, 0.3, { adaptation: { beta: 0.1, rho: 0.5 } }),
    { kind: 'output', name: 'output', shape: [5] },
  ];
  const edges: GraphEdge[] = [
    ['input', 'conv1'], ['conv1', 'bn1'], ['bn1', 'alif1'], ['alif1', 'flat'], ['flat', 'fc'], ['fc', 'bn2'], ['bn2', 'alif2'], ['alif2', 'output'],
  ].map(([from, to]) => ({ from: from as string, to: to as string }));
  return { name: `adaptive${seed}`, nodes, edges, metadata: {} };
}

describe('threshold adaptation (adaptive-threshold LIF populations)', () => {
  it('runs the integer dynamics by hand: theta = threshold + a, a <- trunc(rho*a) + beta*o', () => {
    const p = lif('p', [1], 0.5, 10, { adaptation: { beta: 4, rho: 0.5 } });
    // x = 7 every step, k = 1/2, threshold 10, beta 4, rho 1/2:
    // t0 u = 7 < 10;                a = 0
    // t1 u = trunc(3.5) + 7 = 10 >= 10 spike (v = 0);  a = 0 + 4 = 4
    // t2 u = 7 < 14;                a = trunc(2) = 2
    // t3 u = trunc(3.5) + 7 = 10 < 12;                 a = trunc(1) = 1
    // t4 u = trunc(5) + 7 = 12 >= 11 spike;            a = trunc(0.5) + 4 = 4 (the float sim would carry 4.5)
    // t5 u = 7 < 14
    for (const mode of ['event', 'dense'] as const) {
      const r = simulateInteger(single(p), { in: [7] }, { mode, steps: 6, recordOutputs: true });
      expect(spikesOf(r), mode).to.deep.equal([0, 1, 0, 0, 1, 0]);
    }
    // the same neuron without adaptation fires every second step from t1
    const plain = simulateInteger(single(lif('p', [1], 0.5, 10)), { in: [7] }, { mode: 'event', steps: 6, recordOutputs: true });
    expect(spikesOf(plain)).to.deep.equal([0, 1, 0, 1, 0, 1]);
  });

  it('runs the float dynamics by hand (the adaptive LIF of the example plugin: vth 0.5, tau 0.25, beta 0.2, rho 0.9)', () => {
    const p = lif('p', [1], 0.25, 0.5, { adaptation: { beta: 0.2, rho: 0.9 } });
    // x = 0.6: t0 u .6 >= .5 spike, a .2 | t1 u .6 < .7, a .18 | t2 u .75 >= .68 spike, a .362 | t3 u .6 < .862, a .3258
    // t4 u .75 < .8258, a .29322 | t5 u .7875 < .79322, a .263898 | t6 u .796875 >= .763898 spike
    const r = simulateFloat(single(p), { in: [0.6] }, { steps: 7, recordOutputs: true, recordMembranes: true });
    expect(spikesOf(r)).to.deep.equal([1, 0, 1, 0, 0, 0, 1]);
    const u = (r.membranes.p ?? []).map((m) => m[0] as number);
    [0.6, 0.6, 0.75, 0.6, 0.75, 0.7875, 0.796875].forEach((want, t) => expect(u[t], `u[${t}]`).to.be.closeTo(want, 1e-12));
  });

  it('folds tdBN into thresholds by dividing beta with the threshold, keeping every spike', () => {
    const g = adaptiveNet(3);
    const bn2 = g.nodes.find((n) => n.name === 'bn2') as AffineNode;
    const thr = foldGraph(g, { mode: 'thresholds' }).graph;
    const w = foldGraph(g, { mode: 'weights' }).graph;
    const a2 = thr.nodes.find((n) => n.name === 'alif2') as PopulationNode;
    expect((a2.adaptation?.beta as Float64Array)[3]).to.be.closeTo(0.1 / (bn2.scale[3] as number), 1e-15);
    expect(a2.adaptation?.rho).to.equal(0.5);
    for (let s = 0; s < 4; s++) {
      const x = randomSpikes(6, 72, 0.4, rng(40 + s));
      const ref = simulateFloat(g, { input: x }, { recordNeuronCounts: true });
      expect(ref.spikeCounts.alif1, 'some spikes').to.be.greaterThan(0);
      for (const f of [thr, w]) expect(simulateFloat(f, { input: x }, { recordNeuronCounts: true }).neuronCounts).to.deep.equal(ref.neuronCounts);
    }
  });

  it('quantises beta on the threshold grid and rho to a dyadic fraction; event and dense integer runs agree bit for bit', () => {
    const folded = foldGraph(adaptiveNet(5), { mode: 'weights' }).graph;
    const q = quantizeGraph(folded, { bits: 8, scheme: 'common', decayBits: 4 });
    const a1 = q.graph.nodes.find((n) => n.name === 'alif1') as PopulationNode;
    const scale = q.layers.find((l) => l.layer === 'alif1')?.scale[0] as number;
    expect(a1.adaptation?.beta).to.equal(Math.round(0.2 / scale));
    expect(a1.threshold).to.equal(Math.round(0.3 / scale));
    expect(a1.adaptation?.rho).to.equal(14 / 16); // round(0.9 * 16) / 16
    let agree = 0;
    for (let s = 0; s < 6; s++) {
      const x = randomSpikes(8, 72, 0.4, rng(60 + s));
      const xi = x.map((v) => quantizeInput(v, q.inputUnit));
      const e = simulateInteger(q.graph, { input: xi }, { mode: 'event', recordNeuronCounts: true });
      const d = simulateInteger(q.graph, { input: xi }, { mode: 'dense', recordNeuronCounts: true });
      expect(e.neuronCounts).to.deep.equal(d.neuronCounts);
      expect(e.outputSum).to.deep.equal(d.outputSum);
      const f = simulateFloat(folded, { input: x }, { recordNeuronCounts: true });
      const rel = Math.abs((e.spikeCounts.alif1 as number) - (f.spikeCounts.alif1 as number)) / (f.spikeCounts.alif1 as number);
      if (rel < 0.1) agree++;
    }
    expect(agree, 'integer spike totals within 10 % of the float graph').to.be.greaterThanOrEqual(5);
  });

  it('is refused by NIR export (no adaptive primitive), by graph-to-spec and by chips without adaptive thresholds', async () => {
    const g = foldGraph(adaptiveNet(7), { mode: 'weights' }).graph;
    const dir = mkdtempSync(join(tmpdir(), 'alif-nir-'));
    try {
      let err: unknown;
      await exportNIR(g, join(dir, 'alif.nir'), { dt: 1e-3 }).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(GraphError);
      expect((err as Error).message).to.match(/^exportNIR: node "alif1" is a population with spike-triggered threshold adaptation, got adaptation \{beta, rho\}; expected a population without it\. NIR has no adaptive-threshold neuron primitive/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const without = mapGraph(g, crossbar({ cores: 64 }), { weightBits: 8 });
    expect(without.violations.filter((v) => v.rule === 'neuron-model').map((v) => v.message)).to.deep.equal(
      ['alif1', 'alif2'].map((n) => `${n}: spike-triggered threshold adaptation is not available on crossbar: pick a chip with threshold adaptation (e.g. loihi2, or a crossbar with thresholdAdaptation: true) or retrain with a LIF neuron`),
    );
    expect(mapGraph(g, crossbar({ cores: 64, thresholdAdaptation: true }), { weightBits: 8 }).violations.filter((v) => v.rule === 'neuron-model')).to.deep.equal([]);
  });

  it('adaptationLimit is where a <- trunc(rho*a) + beta stops climbing (brute force over dyadic rho, integer beta)', () => {
    const r = rng(11);
    for (let k = 0; k < 200; k++) {
      const rho = Math.floor(r() * 16) / 16;
      const beta = 1 + Math.floor(r() * 5000);
      let a = 0;
      for (let prev = -1; a !== prev; ) [prev, a] = [a, Math.trunc(rho * a) + beta];
      expect(adaptationLimit(beta, rho), `beta ${beta}, rho ${rho}`).to.equal(a);
      expect(a).to.be.at.most(beta / (1 - rho));
    }
  });

  it('design rules check the highest threshold an adaptive neuron reaches, not only its resting threshold', () => {
    // in -> p: identity edge, u = 1/255 per input unit; theta_max = 10 + 4/(1-0.5) = 18 real units
    const g = single(lif('p', [1], 0.5, 10, { adaptation: { beta: 4, rho: 0.5 } }));
    const q = quantizeGraph(g, { bits: 8, scheme: 'common', decayBits: 4 });
    const p = q.graph.nodes.find((n) => n.name === 'p') as PopulationNode;
    const [vth, beta, rho] = [p.threshold as number, p.adaptation?.beta as number, p.adaptation?.rho as number];
    expect(rho).to.equal(0.5);
    // the integer adaptation a <- trunc(rho*a) + beta (a spike every step) climbs to its limit and stays;
    // beta = 129540, rho = 1/2: 259079 = 129539 + 129540 (one below beta/(1-rho), also a fixed point)
    let a = 0;
    for (let t = 0; t < 64; t++) a = Math.trunc(rho * a) + beta;
    expect([a, adaptationLimit(beta, rho)]).to.deep.equal([2 * beta - 1, 2 * beta - 1]);
    const l = q.layers.find((x) => x.layer === 'p');
    expect([l?.thresholdMax, l?.thresholdReach]).to.deep.equal([vth, vth + a]);
    // scale = (1/255)/127, vth = 10*255*127 = 323850 (19 bits), beta = 129540, reach 323850 + 259079 = 582929 (20 bits)
    expect([l?.thresholdBits, l?.thresholdReachBits]).to.deep.equal([Math.ceil(Math.log2(vth + 1)), Math.ceil(Math.log2(vth + a + 1))]);
    expect([l?.thresholdBits, l?.thresholdReachBits]).to.deep.equal([19, 20]);

    const bitsRule = (thresholdBits: number, extras: { thresholdBits?: Record<string, number>; thresholdReachBits?: Record<string, number> }) =>
      mapGraph(g, crossbar({ cores: 4, thresholdAdaptation: true, thresholdBits }), { weightBits: 8, ...extras }).violations.filter((v) => v.rule === 'threshold-bits');
    const extras = { thresholdBits: { p: l?.thresholdBits as number }, thresholdReachBits: { p: l?.thresholdReachBits as number } };
    const v19 = bitsRule(19, extras);
    expect(v19.map((v) => [v.value, v.limit, v.severity])).to.deep.equal([[20, 19, 'error']]);
    expect(v19[0]?.message).to.equal(
      'p: adaptive threshold reaches 20 bits (resting 19 bits + beta/(1-rho)) > 19 bits: quantise with fewer weight bits or a per-channel scale so the threshold fits, or retrain with a smaller adaptation beta/(1-rho)',
    );
    expect(bitsRule(20, extras)).to.deep.equal([]);
    // the resting threshold alone (the rule before adaptation was counted) passes on 19 bits; 18 bits refuse it as before
    expect(bitsRule(19, { thresholdBits: extras.thresholdBits })).to.deep.equal([]);
    expect(bitsRule(18, { thresholdBits: extras.thresholdBits }).map((v) => v.message)).to.deep.equal([
      'p: threshold needs 19 bits > 18 bits: quantise with fewer weight bits or a per-channel scale so the threshold fits',
    ]);
    // a rho that rounds to 1 (0.99 on 4 decay bits) lets the threshold grow without bound
    const u = quantizeGraph(single(lif('p', [1], 0.5, 10, { adaptation: { beta: 4, rho: 0.99 } })), { bits: 8, scheme: 'common', decayBits: 4 }).layers[0];
    expect([u?.thresholdReach, u?.thresholdReachBits]).to.deep.equal([Infinity, Infinity]);
    // without adaptation the reach is the resting threshold
    const still = quantizeGraph(single(lif('p', [1], 0.5, 10)), { bits: 8, scheme: 'common' }).layers[0];
    expect([still?.thresholdReach, still?.thresholdReachBits]).to.deep.equal([still?.thresholdMax, still?.thresholdBits]);
  });

  it('checks a neuron description: threshold > 0, decay in [0, 1], beta >= 0, rho in [0, 1)', () => {
    expect(checkHardwareNeuron({ model: 'lif', decay: 0.25, threshold: 0.5, adaptation: { beta: 0.2, rho: 0.9 } })).to.equal(null);
    expect(checkHardwareNeuron({ model: 'lif', decay: 0.25, threshold: 0 })).to.deep.equal(['threshold', '0', 'a number > 0']);
    expect(checkHardwareNeuron({ model: 'lif', decay: 1.5, threshold: 1 })).to.deep.equal(['decay', '1.5', 'a number in [0, 1]']);
    expect(checkHardwareNeuron({ model: 'lif', decay: 0.5, threshold: 1, adaptation: { beta: 0.1, rho: 1 } })).to.deep.equal(['adaptation.rho', '1', 'a number in [0, 1)']);
    expect(messages.badHardwareNeuron('n', 'X', 'threshold', '0', 'a number > 0')).to.equal(
      'modelToGraph: neuron "n" (X) describes itself for hardware with threshold 0, got 0; expected a number > 0. Fix the hardwareNeuron() method of X or the layer\'s options.',
    );
  });
});

describe('target option schemas', () => {
  it('declare a fragment for every built-in target; fixed chips refuse options, crossbar takes its own', () => {
    const r = new Registry();
    installPlugin(corePlugin, r);
    installPlugin(deepspikePlugin, r);
    expect(TARGET_SCHEMAS.map((f) => f.name).sort()).to.deep.equal(r.names('target').sort());
    expect(r.schemas().filter((f) => f.kind === 'target').length).to.equal(Object.keys(BUILTIN_CHIPS).length + 1);
    expect(() => r.get('target', 'loihi').create({ cores: 4 })).to.throw(InvalidArgumentError, 'target loihi: cores got {"cores":4}; expected no options');
    expect(r.get('target', 'loihi').create({}).name).to.equal('loihi');
    const x = r.get('target', 'crossbar').create({ cores: 9, thresholdAdaptation: true });
    expect([x.cores.value, x.mesh.value, x.thresholdAdaptation?.value]).to.deep.equal([9, [3, 3], true]);
    const props = Object.keys((TARGET_SCHEMAS.find((f) => f.name === 'crossbar')?.schema as { properties: object }).properties);
    expect(props).to.include.members(['cores', 'axons', 'neurons', 'meshX', 'meshY', 'weightBits', 'perNeuronThreshold', 'thresholdAdaptation', 'quantScheme']);
  });
});
