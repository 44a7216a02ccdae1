import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type NeuronLayer } from '@deepspike/core';
import { NIR_FIXTURES, testdataDir } from '@deepspike/core/testing';
import { buildModel } from '@deepspike/codegen';
import { validateModel } from '@deepspike/dsl';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { assignSpecWeights, exportNIR, foldGraph, graphToSpec, importNIR, modelToGraph, readNpy } from '@deepspike/neuromorphic';

const NIR = join(testdataDir(), 'nir');

/** NIR file -> model file + weights -> validated spec -> built model with the file's weights. */
async function importModel(file: string, timesteps: number) {
  const { graph } = await importNIR(file.startsWith('/') ? file : join(NIR, file));
  const { spec, weights } = graphToSpec(graph, { name: 'imported', timesteps });
  const validated = await validateModel(JSON.stringify(spec), { file });
  const model = buildModel(validated, {});
  assignSpecWeights(model, weights);
  return { graph, spec: spec as { layers: Record<string, unknown>[]; readout: string }, model };
}

describe('NIR graphs -> model files: every real and derived file imports as a trainable model', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  for (const file of NIR_FIXTURES) {
    it(`${file}: model file validates, builds, takes the file's weights and runs`, async () => {
      const { spec, model } = await importModel(file, 4);
      const x = tf.zeros([4, 1, ...(spec as unknown as { input: { shape: number[] } }).input.shape]);
      const y = model.forward(x);
      expect(y.shape[0]).to.equal(1);
      model.dispose();
    });
  }

  it('braille: lif1.lif is a recurrent cubalif (beta 0.9, alpha 0.55) whose map carries the w_rec weights times the input gain', async () => {
    const { graph, spec, model } = await importModel('braille_noDelay_bias_zero.nir', 4);
    const lif = spec.layers.find((l) => l.name === 'lif1Lif') as { kind: string; tau: number; options: { alpha: number }; recurrent: { bias: boolean } };
    expect(lif.kind).to.equal('cubalif');
    expect(lif.tau).to.be.closeTo(0.9, 1e-6);
    expect(lif.options.alpha).to.be.closeTo(0.55, 1e-3);
    expect(lif.recurrent).to.deep.equal({ bias: true });
    const wRec = graph.nodes.find((n) => n.name === 'lif1.w_rec') as { weight: Float32Array };
    const pop = graph.nodes.find((n) => n.name === 'lif1.lif') as { gain: number; synapse: { gain: number } };
    const g = pop.gain * pop.synapse.gain;
    const kernel = model.namedParameters().get('lif1Lif.rec.kernel') as tf.Tensor;
    expect(kernel.shape).to.deep.equal([38, 38]);
    const k = kernel.dataSync();
    for (const i of [0, 77, 1443]) expect(k[i]).to.be.closeTo((wRec.weight[i] as number) * g, 1e-5 * Math.abs(g));
    // the nested-subgraph variant is the same network
    const fixed = await importModel('derived/braille_noDelay_bias_zero_subgraph_fixed.nir', 4);
    expect(fixed.spec.layers.map((l) => [l.type, l.kind ?? null, l.recurrent ?? null])).to.deep.equal(spec.layers.map((l) => [l.type, l.kind ?? null, l.recurrent ?? null]));
    model.dispose();
    fixed.model.dispose();
  });

  it('two_lif_neurons: the v_leak drive moves into the bias and lif1 fires with no input (5 spikes in 1000 steps)', async () => {
    const { model } = await importModel('two_lif_neurons.nir', 1000);
    const lif1 = model.layers.get('lif1') as NeuronLayer;
    lif1.recordSpikes = true;
    model.forward(tf.zeros([1000, 1, 1]));
    expect(tf.sum(lif1.lastSpikes as tf.Tensor).dataSync()[0]).to.equal(5);
    model.dispose();
  });

  it('stbp_conv_residual: the model\'s outputs on the file\'s input match stbp_conv_residual_expected.json', async () => {
    const { spec, model } = await importModel('derived/stbp_conv_residual.nir', 16);
    expect(spec.layers.find((l) => l.name === 'lif2')).to.deep.include({ inputs: ['conv2', 'lif1'] });
    const expected = JSON.parse(readFileSync(join(NIR, 'derived/stbp_conv_residual_expected.json'), 'utf8')) as { output_counts: number[]; spikes_per_node: Record<string, number> };
    const npy = readNpy(join(NIR, 'derived/stbp_conv_residual_input.npy'));
    // [T, C, H, W] -> [T, N = 1, H, W, C]
    const x = tf.tidy(() => tf.expandDims(tf.transpose(tf.tensor(Float32Array.from(npy.data), [...npy.shape]), [0, 2, 3, 1]), 1));
    const pops = ['lif1', 'lif2', 'lif3'].map((n) => model.layers.get(n) as NeuronLayer);
    for (const p of pops) p.recordSpikes = true;
    const rates = model.forward(x);
    const counts = Array.from(rates.dataSync(), (r) => Math.round(r * 16));
    expect(counts).to.deep.equal(expected.output_counts);
    const totals = Object.fromEntries(pops.map((p) => [p.name, tf.sum(p.lastSpikes as tf.Tensor).dataSync()[0]]));
    expect(totals).to.deep.equal(expected.spikes_per_node);
    model.dispose();
  });

  it('a graph model (residual add, fan-out, recurrent CubaLIF) -> NIR -> model computes the same outputs', async () => {
    const spec = {
      name: 'graph-rt',
      input: { shape: [6, 6, 2], encoding: 'events' },
      timesteps: 6,
      defaults: { norm: { kind: 'none' }, neuron: { vth: 0.4 } },
      layers: [
        { type: 'conv2d', name: 'conv1', filters: 3, kernel: 3, padding: 1, bias: true },
        { type: 'neuron', name: 'lif1' },
        { type: 'conv2d', name: 'conv2', filters: 3, kernel: 3, padding: 1, bias: true },
        { type: 'neuron', name: 'lif2', inputs: ['conv2', 'lif1'] },
        { type: 'pool', name: 'pool', mode: 'sum', size: 2 },
        { type: 'flatten', name: 'flat' },
        { type: 'linear', name: 'fc1', units: 8 },
        { type: 'neuron', name: 'syn', kind: 'cubalif', vth: 0.3, tau: 0.8, options: { alpha: 0.5 }, recurrent: {} },
        { type: 'linear', name: 'fc2', units: 4 },
        { type: 'neuron', name: 'out', kind: 'if', vth: 0.2 },
      ],
      readout: 'rate',
    };
    const model = buildModel(await validateModel(JSON.stringify(spec)), { seed: 4 });
    const dir = mkdtempSync(join(tmpdir(), 'ds-graph-rt-'));
    try {
      const { graph } = foldGraph(modelToGraph(model, { inputShape: [6, 6, 2], timesteps: 6, readout: 'rate', name: 'graph-rt' }), { mode: 'weights' });
      expect(graph.edges.filter((e) => e.to === 'lif2').map((e) => e.from).sort()).to.deep.equal(['conv2', 'lif1']);
      expect(graph.edges.filter((e) => e.to === 'syn').map((e) => e.from).sort()).to.deep.equal(['fc1', 'syn.rec']);
      await exportNIR(graph, join(dir, 'g.nir'), { dt: 1e-3, timesteps: 6 });
      const back = await importModel(join(dir, 'g.nir'), 6);
      // the recurrent bias (added at every step) travels in fc1's bias, so the NIR back edge carries W o[t-1] only
      expect(back.spec.layers.find((l) => l.name === 'syn')).to.deep.include({ kind: 'cubalif', recurrent: { bias: false } });
      const x = tf.cast(tf.greater(tf.randomUniform([6, 3, 6, 6, 2], 0, 1, 'float32', 8), 0.5), 'float32');
      const [ya, yb] = [model.forward(x), back.model.forward(x)];
      expect(tf.sum(ya).dataSync()[0], 'some output spikes').to.be.greaterThan(0);
      expect(Array.from(yb.dataSync())).to.deep.equal(Array.from(ya.dataSync()));
      back.model.dispose();
    } finally {
      model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
