import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import {
  chwToHwc, exportNIR, GraphError, importNIR, NirError, readNirFile, readNpy, simulateFloat,
  type ConvNode, type HardwareGraph, type LinearNode, type PopulationNode,
} from '../src/index.js';
import { checkerPython, NIR_DIR, randomSpikes, residualNet, rng, runChecker } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ds-nir-'));
const node = <T>(g: HardwareGraph, name: string): T => g.nodes.find((n) => n.name === name) as T;
const stbpInput = (): Float64Array[] => {
  const x = readNpy(`${NIR_DIR}/derived/stbp_conv_residual_input.npy`);
  const per = 2 * 8 * 8;
  return Array.from({ length: 16 }, (_, t) => chwToHwc(x.data.subarray(t * per, (t + 1) * per), [2, 8, 8]));
};

describe('NIR import', () => {
  const valid = [...readdirSync(NIR_DIR).filter((f) => f.endsWith('.nir')), ...readdirSync(`${NIR_DIR}/derived`).filter((f) => f.endsWith('.nir')).map((f) => `derived/${f}`)];

  it('reads every valid file (6 paper files + 2 derived)', async () => {
    expect(valid).to.have.length(8);
    for (const f of valid) {
      const r = await importNIR(`${NIR_DIR}/${f}`);
      expect(r.graph.nodes.length, f).to.be.greaterThan(3);
    }
  });

  it('cnn_sinabs: 15 nodes, 14 edges in file order, channel-first weights transposed by value', async () => {
    const { graph } = await importNIR(`${NIR_DIR}/cnn_sinabs.nir`);
    expect(graph.nodes).to.have.length(15);
    expect(graph.edges).to.have.length(14);
    const raw = await readNirFile(`${NIR_DIR}/cnn_sinabs.nir`);
    const w = raw.top.children.get('0')?.params.get('weight') as { data: Float64Array };
    const c0 = node<ConvNode>(graph, '0');
    // NIR (o=3, i=1, y=4, x=2) -> graph [y, x, i, o] of [5, 5, 2, 16]
    expect(c0.weight[((4 * 5 + 2) * 2 + 1) * 16 + 3]).to.equal(Math.fround(w.data[((3 * 2 + 1) * 5 + 4) * 5 + 2] as number));
    expect(c0.stride).to.deep.equal([2, 2]);
    expect(c0.padding).to.deep.equal([1, 1]);
    const if1 = node<PopulationNode>(graph, '1');
    expect([if1.model, if1.decay, if1.gain, if1.threshold, if1.resetValue, if1.strict]).to.deep.equal(['if', 1, 1, 1, 0, true]);
    expect(node<LinearNode>(graph, '9').inFeatures).to.equal(128);
    expect(node(graph, '8')).to.deep.include({ kind: 'flatten', order: 'chw' });
  });

  it('lif_norse: LIF tau=2.5 ms at dt=0.1 ms gives k = 0.96 and input gain r*dt/tau = 0.04', async () => {
    const { graph, dt, warnings } = await importNIR(`${NIR_DIR}/lif_norse.nir`);
    expect(dt).to.equal(1e-4);
    expect(warnings[0]).to.contain('records no dt');
    const p = node<PopulationNode>(graph, '1');
    expect(p.decay as number).to.be.closeTo(0.96, 1e-9);
    expect(p.gain as number).to.be.closeTo(0.04, 1e-9);
    expect(p.threshold as number).to.be.closeTo(0.1, 1e-7);
  });

  it('lif_rockpool: edges in non-topological order, Output shape [1,1,1] accepted with a warning', async () => {
    const { graph, warnings } = await importNIR(`${NIR_DIR}/lif_rockpool.nir`);
    expect(graph.edges[0]).to.deep.equal({ from: '0_LinearTorch', to: '1_LIFNeuronTorch' });
    expect(warnings.some((w) => w.includes('output "output" declares shape [1,1,1] but receives [1]'))).to.equal(true);
    expect(node<PopulationNode>(graph, '1_LIFNeuronTorch').gain as number).to.be.closeTo((24.019737 * 1e-4) / 0.0025, 1e-6);
  });

  it('two_lif_neurons: v_leak > v_threshold fires with no input (5 spikes in 1000 steps), lif2 never', async () => {
    const { graph } = await importNIR(`${NIR_DIR}/two_lif_neurons.nir`);
    expect(simulateFloat(graph, {}, { steps: 1000 }).spikeCounts).to.deep.equal({ lif1: 5, lif2: 0 });
  });

  it('braille: CubaLIF with the flat dotted names and the recurrent cycle; beta 0.9, alpha 0.55', async () => {
    const { graph } = await importNIR(`${NIR_DIR}/braille_noDelay_bias_zero.nir`);
    const p = node<PopulationNode>(graph, 'lif1.lif');
    expect(p.decay as number).to.be.closeTo(0.9, 1e-6);
    expect(p.synapse?.decay as number).to.be.closeTo(0.55, 1e-3);
    expect(p.resetValue).to.equal(0);
    expect(graph.edges.map((e) => `${e.from}->${e.to}`)).to.include.members(['lif1.lif->lif1.w_rec', 'lif1.w_rec->lif1.lif']);
    const r = simulateFloat(graph, { input: randomSpikes(50, 12, 0.3, rng(3)) });
    expect(r.steps).to.equal(50);
  });

  it('the fixed nested subgraph flattens to the same network as the flat Braille file', async () => {
    const nested = (await importNIR(`${NIR_DIR}/derived/braille_noDelay_bias_zero_subgraph_fixed.nir`)).graph;
    const flat = (await importNIR(`${NIR_DIR}/braille_noDelay_bias_zero.nir`)).graph;
    expect(nested.edges.map((e) => `${e.from}->${e.to}`).sort()).to.deep.equal(
      ['input->fc1', 'fc1->lif1.lif', 'lif1.lif->lif1.lin', 'lif1.lin->lif1.lif', 'lif1.lif->fc2', 'fc2->lif2', 'lif2->output'].sort(),
    );
    const x = randomSpikes(40, 12, 0.4, rng(9));
    const a = simulateFloat(nested, { input: x });
    const b = simulateFloat(flat, { input: x });
    expect(Array.from(a.outputSum.output as Float64Array)).to.deep.equal(Array.from(b.outputSum.output as Float64Array));
    expect(a.spikeCounts['lif1.lif']).to.equal(b.spikeCounts['lif1.lif']);
  });

  it('stbp_conv_residual (gzip): simulates to the expected counts of the direct STBP recurrence', async () => {
    const expected = JSON.parse(readFileSync(`${NIR_DIR}/derived/stbp_conv_residual_expected.json`, 'utf8'));
    const { graph, dt } = await importNIR(`${NIR_DIR}/derived/stbp_conv_residual.nir`);
    expect(dt).to.equal(expected.dt);
    expect(node<PopulationNode>(graph, 'lif2').decay as number).to.be.closeTo(expected.stbp_k, 1e-12);
    expect(graph.edges.filter((e) => e.to === 'lif2').map((e) => e.from).sort()).to.deep.equal(['conv2', 'lif1']);
    const r = simulateFloat(graph, { input: stbpInput() });
    expect(Array.from(r.outputSum.output as Float64Array)).to.deep.equal(expected.output_counts);
    expect(r.spikeCounts).to.deep.equal(expected.spikes_per_node);
  });

  it('rejects each invalid file with a message naming the dangling endpoint "lif"', async () => {
    for (const f of readdirSync(`${NIR_DIR}/invalid`)) {
      let err: unknown;
      try {
        await importNIR(`${NIR_DIR}/invalid/${f}`);
      } catch (e) {
        err = e;
      }
      expect(err, f).to.be.instanceOf(NirError);
      const lines = (err as Error).message.split('\n');
      expect(lines).to.have.length(4);
      expect(lines[0]).to.contain('edge (input -> lif) in graph "lif1" names endpoint "lif", got no such node; expected one of input, lif1, lin, output');
    }
  });

  it('refuses an unsupported node type instead of dropping it', async () => {
    await h5wasm.ready;
    const path = join(tmp, 'delay.nir');
    const f = new h5wasm.File(path, 'w');
    f.create_dataset({ name: 'version', data: '0.2.0' });
    const top = f.create_group('node');
    top.create_dataset({ name: 'type', data: 'NIRGraph' });
    const nodes = top.create_group('nodes');
    for (const [name, type] of [['input', 'Input'], ['d', 'Delay'], ['output', 'Output']] as const) {
      const g = nodes.create_group(name);
      g.create_dataset({ name: 'type', data: type });
      if (type === 'Delay') g.create_dataset({ name: 'delay', data: Float32Array.of(1), shape: [1] });
      else g.create_dataset({ name: 'shape', data: BigInt64Array.of(1n), shape: [1] });
    }
    top.create_dataset({ name: 'edges', data: ['input', 'd', 'd', 'output'], shape: [2, 2] });
    f.close();
    let msg = '';
    await importNIR(path).catch((e: Error) => (msg = e.message));
    expect(msg).to.contain('node "d" has type Delay, got an unsupported NIR type');
  });
});

describe('NIR export', () => {
  it('round-trips stbp_conv_residual by value (weights, LIF parameters, counts)', async () => {
    const a = (await importNIR(`${NIR_DIR}/derived/stbp_conv_residual.nir`)).graph;
    const out = join(tmp, 'rt.nir');
    await exportNIR(a, out, { dt: 1e-3, timesteps: 16 });
    const b = (await importNIR(out)).graph;
    for (const n of a.nodes) {
      const m = node<typeof n>(b, n.name);
      if (n.kind === 'conv' || n.kind === 'linear') expect(Array.from((m as ConvNode).weight), n.name).to.deep.equal(Array.from(n.weight));
      if (n.kind === 'population') {
        const q = m as PopulationNode;
        expect(q.decay as number).to.be.closeTo(n.decay as number, 1e-12);
        expect(q.gain as number).to.be.closeTo(n.gain as number, 1e-12);
        expect(q.threshold).to.equal(n.threshold);
      }
    }
    expect(b.metadata).to.deep.include({ dt: 1e-3, T: 16, stbp_k: 0.25, stbp_vth: 0.2 });
    const ra = simulateFloat(a, { input: stbpInput() });
    const rb = simulateFloat(b, { input: stbpInput() });
    expect(rb.spikeCounts).to.deep.equal(ra.spikeCounts);
  });

  it('writes STBP LIF as tau = dt/(1-k), r = tau/dt, v_leak = 0, v_reset = 0; the channels-last flatten is reordered', async () => {
    const g = residualNet(5);
    const out = join(tmp, 'res.nir');
    await exportNIR(g, out, { dt: 1e-3 });
    const raw = await readNirFile(out);
    const lif1 = raw.top.children.get('lif1')?.params;
    const first = (k: string): number => ((lif1?.get(k) as { data: Float64Array }).data[0] as number);
    expect(first('tau')).to.be.closeTo(1e-3 / 0.75, 1e-15);
    expect(first('r')).to.be.closeTo(1 / 0.75, 1e-15);
    expect([first('v_leak'), first('v_reset'), first('v_threshold')]).to.deep.equal([0, 0, 0.3]);
    expect(raw.top.edges.filter(([, b]) => b === 'lif2').map(([a]) => a).sort()).to.deep.equal(['conv2', 'lif1']);
    const back = (await importNIR(out)).graph;
    const r = rng(2);
    const x = randomSpikes(8, 128, 0.3, r);
    const ra = simulateFloat(g, { input: x });
    const rb = simulateFloat(back, { input: x });
    expect(rb.spikeCounts).to.deep.equal(ra.spikeCounts);
    const diff = Math.max(...Array.from(ra.outputSum.output as Float64Array, (v, i) => Math.abs(v - (rb.outputSum.output as Float64Array)[i]!)));
    expect(diff).to.equal(0);
  });

  it('refuses a missing dt and a max pool', async () => {
    const g = residualNet();
    let msg = '';
    await exportNIR(g, join(tmp, 'x.nir'), { dt: 0 }).catch((e: Error) => (msg = e.message));
    expect(msg).to.equal('exportNIR: dt must be a positive number of seconds, got 0; expected e.g. 0.001. Pass {dt: 0.001}.');
    const maxed = { ...g, nodes: g.nodes.map((n) => (n.kind === 'pool' ? { ...n, mode: 'max' as const } : n)) };
    await exportNIR(maxed, join(tmp, 'y.nir'), { dt: 1e-3 }).then(() => expect.fail('exported'), (e: Error) => {
      expect(e).to.be.instanceOf(GraphError);
      expect(e.message).to.contain('node "pool" is a max pool');
    });
  });

  describe('independent checker nir_check.py', function () {
    const { python, reason } = checkerPython();
    before(function () {
      if (!python) {
        console.log(`    skipped: ${reason}`);
        this.skip();
      }
    });

    it('accepts what we write under --strict and simulates it to the same counts as our simulator', async () => {
      const g = residualNet(11);
      const out = join(tmp, 'check.nir');
      await exportNIR(g, out, { dt: 1e-3, timesteps: 8 });
      expect(runChecker(python as string, [out, '--strict'])).to.match(/^OK check\.nir: NIR 1\.0\.7, 10 nodes/);
      const ours = simulateFloat(g, {}, { steps: 8 });
      const sim = JSON.parse(runChecker(python as string, [out, '--simulate', '8', '--dt', '0.001']).trim().split('\n').at(-1) as string);
      expect(sim.spikes_per_node).to.deep.equal(ours.spikeCounts);
    });

    it('re-exports the derived STBP file so that the checker reproduces the expected counts', async () => {
      const a = (await importNIR(`${NIR_DIR}/derived/stbp_conv_residual.nir`)).graph;
      const out = join(tmp, 'stbp.nir');
      await exportNIR(a, out, { dt: 1e-3 });
      const sim = JSON.parse(runChecker(python as string, [out, '--simulate', '16', '--dt', '0.001', '--input', `${NIR_DIR}/derived/stbp_conv_residual_input.npy`]).trim().split('\n').at(-1) as string);
      const expected = JSON.parse(readFileSync(`${NIR_DIR}/derived/stbp_conv_residual_expected.json`, 'utf8'));
      expect(sim.outputs.output.counts).to.deep.equal(expected.output_counts);
      expect(sim.spikes_per_node).to.deep.equal(expected.spikes_per_node);
    });

    it('re-exports cnn_sinabs (IF, sum pools, channel-first flatten) into a file the checker accepts', async () => {
      const a = (await importNIR(`${NIR_DIR}/cnn_sinabs.nir`)).graph;
      const out = join(tmp, 'sinabs.nir');
      await exportNIR(a, out, { dt: 1e-4 });
      expect(runChecker(python as string, [out, '--strict'])).to.contain('15 nodes (2 Affine, 3 Conv2d, Flatten, 5 IF, Input, Output, 2 SumPool2d), 14 edges');
    });
  });
});
