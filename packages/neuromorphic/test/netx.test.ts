import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  exportNetx, GraphError, netxLayers, quantizeGraph, quantizeInput, simulateInteger, type GraphEdge, type GraphNode, type HardwareGraph, type QuantizedGraph,
} from '../src/index.js';
import { hwcToChw } from '../src/nir/layout.js';
import { checkerPython, conv, lif, lin, residualNet, rng } from './helpers.js';

const CHECKER = join(dirname(fileURLToPath(import.meta.url)), 'netx_check.py');

/** conv-lif-pool-conv-lif-pool-flatten(hwc)-fc-lif-readout: mnist-tdbn's shape, small. */
function chainNet(seed: number, hw = 8, strict = false, biases = true): HardwareGraph {
  const r = rng(seed);
  const nb = biases ? {} : { bias: null };
  const nodes: GraphNode[] = [
    { kind: 'input', name: 'input', shape: [hw, hw, 1] },
    conv('conv1', 1, 4, 3, r, nb), lif('lif1', [hw, hw, 4], 0.25, 0.4, { strict }),
    { kind: 'pool', name: 'pool1', mode: 'avg', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    conv('conv2', 4, 6, 3, r, nb), lif('lif2', [hw / 2, hw / 2, 6], 0.25, 0.4, { strict }),
    { kind: 'pool', name: 'pool2', mode: 'avg', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'flatten', name: 'flat', order: 'hwc' },
    lin('fc1', (hw / 4) * (hw / 4) * 6, 16, r, biases), lif('lif3', [16], 0.25, 0.4, { strict }),
    lin('fc2', 16, 5, r, biases),
    { kind: 'output', name: 'output', shape: [5] },
  ];
  const names = ['input', 'conv1', 'lif1', 'pool1', 'conv2', 'lif2', 'pool2', 'flat', 'fc1', 'lif3', 'fc2', 'output'];
  const edges: GraphEdge[] = names.slice(1).map((to, i) => ({ from: names[i] as string, to }));
  return { name: 'chain', nodes, edges, metadata: { T: 4 } };
}


/** The python3 that runs netx_check.py, or the test skipped with the reason. */
function checkerOrSkip(ctx: Mocha.Context): string {
  const { python, reason } = checkerPython();
  if (!python) {
    console.log(`      skipped: ${reason}`);
    ctx.skip();
  }
  return python as string;
}

describe('Lava-DL netx export', function () {
  this.timeout(120000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'netx-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('maps the chain to input, conv, conv, flatten, dense, dense with the pools folded into the next synapses', () => {
    const q = quantizeGraph(chainNet(1), { bits: 8, scheme: 'loihi' });
    const s = netxLayers(q);
    expect(s.layers.map((l) => l.type)).to.deep.equal(['input', 'conv', 'conv', 'flatten', 'dense', 'dense']);
    expect(s.poolsFolded).to.deep.equal(['pool1', 'pool2']);
    const [, c1, c2, fl, d1, d2] = s.layers;
    expect(c1?.shape).to.deep.equal([4, 8, 8]);
    // pool1 (2x2) folded into conv2 (3x3, stride 1, pad 1): a 6x6 kernel, stride 2, pad 2 on the 8x8 map
    expect(c2?.conv).to.deep.include({ kernelSize: [6, 6], stride: [2, 2], padding: [2, 2], inChannels: 4, outChannels: 6 });
    expect(c2?.shape).to.deep.equal([6, 4, 4]);
    expect(fl?.shape).to.deep.equal([96]);
    expect(d1?.dense).to.deep.equal({ inFeatures: 96, outFeatures: 16 });
    expect(d1?.neuron).to.deep.include({ iDecay: 4096, vDecay: 3072 });
    expect(d2?.readout).to.equal(true);
    expect(d2?.neuron?.vThMant).to.equal(2 ** 17 - 1);
    for (const l of s.layers) if (l.weight) expect(Math.max(...Array.from(l.weight, Math.abs))).to.be.at.most(254);
  });

  it('refuses what a netx chain cannot hold, naming the node', () => {
    const res = quantizeGraph(residualNet(2), { bits: 8, scheme: 'loihi' });
    expect(() => netxLayers(res)).to.throw(GraphError, /node "lif1" feeds 2 nodes \(conv2, lif2\).*netx holds a chain of layers/);
    const g = chainNet(3);
    const perChannel: HardwareGraph = { ...g, nodes: g.nodes.map((n) => (n.name === 'lif2' ? { ...n, threshold: Float64Array.from({ length: 6 }, (_, i) => 0.3 + 0.05 * i) } : n)) as GraphNode[] };
    expect(() => netxLayers(quantizeGraph(perChannel, { bits: 8, scheme: 'loihi' }))).to.throw(GraphError, /node "lif2" has a threshold that differs between neurons.*--fold weights/);
    const maxPool: HardwareGraph = { ...g, nodes: g.nodes.map((n) => (n.name === 'pool1' ? { ...n, mode: 'max' } : n)) as GraphNode[] };
    expect(() => netxLayers(quantizeGraph(maxPool, { bits: 8, scheme: 'loihi' }))).to.throw(GraphError, /node "pool1" is a max pool netx cannot fold/);
  });

  /** Exports `q`, runs the file in netx_check.py and the graph in the integer simulator on the same inputs. */
  function runBoth(q: QuantizedGraph, python: string, name: string, samples = 24, T = 4) {
    const r = rng(7);
    const file = join(dir, `${name}.net`);
    return exportNetx(q, file, T).then((summary) => {
      const layout = JSON.parse(execFileSync(python, [CHECKER, file], { encoding: 'utf8' })) as unknown;
      expect(layout).to.deep.equal({ layers: ['input', 'conv', 'conv', 'flatten', 'dense', 'dense'], shapes: [[1, 8, 8], [4, 8, 8], [6, 4, 4], [96], [16], [5]], tSample: T });
      const inputs: number[][][] = [];
      const ours = { pred: [] as number[], out: [] as number[][], spikes: [0, 0, 0] };
      for (let s = 0; s < samples; s++) {
        const frame = quantizeInput(Float64Array.from({ length: 64 }, () => r()), q.inputUnit);
        const sim = simulateInteger(q.graph, { input: frame }, { mode: 'dense', steps: T });
        ['lif1', 'lif2', 'lif3'].forEach((n, i) => (ours.spikes[i] = (ours.spikes[i] as number) + (sim.spikeCounts[n] as number)));
        const out = Array.from(sim.outputSum.output as Float64Array);
        ours.pred.push(out.indexOf(Math.max(...out)));
        ours.out.push(out);
        inputs.push(Array.from({ length: T }, () => Array.from(hwcToChw(frame, [8, 8, 1]))));
      }
      const run = JSON.parse(execFileSync(python, [CHECKER, file, '--run'], { encoding: 'utf8', input: JSON.stringify({ inputs }) })) as { predictions: number[]; spikes: number[]; readout: number[][] };
      // netx layers 1, 2 and 4 hold lif1, lif2 and lif3 (3 is the flatten). The readout's membrane sums
      // its input over T in Loihi's unit (2^6 per weight unit, ours / 2^min(e, 6)).
      const e = Math.min(q.layers.find((l) => l.layer === 'output')?.weightExponent ?? 0, 6);
      const theirs = { pred: run.predictions, spikes: [run.spikes[1], run.spikes[2], run.spikes[4]] as number[], out: run.readout.map((v) => v.map((x) => (x / 64) * 2 ** e)) };
      return { ours, theirs, summary };
    });
  }

  it('writes a file the independent reader accepts and runs exactly as the integer simulator does (Loihi-style strict thresholds, no biases)', function () {
    const python = checkerOrSkip(this);
    // Populations firing on u > threshold as Loihi does, and no biases (netx rounds them to Loihi's
    // 2^6 grain): the same integers step by step, so every spike and the readout are equal.
    const q = quantizeGraph(chainNet(5, 8, true, false), { bits: 8, scheme: 'loihi' });
    return runBoth(q, python, 'exact').then(({ ours, theirs, summary }) => {
      expect(summary.biasesRounded).to.equal(0);
      expect(ours.spikes.every((n) => n > 0), 'every layer fires').to.equal(true);
      expect(theirs.spikes).to.deep.equal(ours.spikes);
      expect(theirs.out).to.deep.equal(ours.out);
      expect(theirs.pred).to.deep.equal(ours.pred);
    });
  });

  it('with STBP thresholds (u >= threshold) and biases, differs from the integer simulator only by the biases rounded and threshold ties', function () {
    const python = checkerOrSkip(this);
    const q = quantizeGraph(chainNet(5), { bits: 8, scheme: 'loihi' });
    return runBoth(q, python, 'stbp').then(({ ours, theirs, summary }) => {
      expect(summary.biasesRounded).to.be.greaterThan(0);
      ours.spikes.forEach((n, i) => expect(Math.abs((theirs.spikes[i] as number) - n) / n, `layer ${i + 1} spikes: netx ${theirs.spikes[i]}, int sim ${n}`).to.be.below(0.01));
      const agreement = theirs.pred.filter((p, i) => p === ours.pred[i]).length / ours.pred.length;
      expect(agreement, `predictions: netx ${theirs.pred.join('')}, int sim ${ours.pred.join('')}`).to.be.at.least(0.9);
    });
  });

  it('the reader refuses a file whose shapes do not compose', function () {
    const python = checkerOrSkip(this);
    const q = quantizeGraph(chainNet(5), { bits: 8, scheme: 'loihi' });
    const s = netxLayers(q);
    const file = join(dir, 'broken.net');
    // a dense layer claiming one input feature too many
    return exportNetx(q, file, 4).then(() => {
      const edit = `import h5py\nwith h5py.File('${file}', 'a') as f:\n  g = f['layer/4']\n  del g['inFeatures']\n  g['inFeatures'] = ${(s.layers[4]?.dense?.inFeatures ?? 0) + 1}\n`;
      execFileSync(python, ['-c', edit]);
      let err = '';
      try {
        execFileSync(python, [CHECKER, file], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        err = String((e as { stderr?: string }).stderr);
      }
      expect(err).to.contain('layer/4: inFeatures 97, expected 96');
    });
  });
});
