import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import ts from 'typescript';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, Registry } from '@deepspike/core';
import { checkModel, checkModelFile, loadDslPlugins, type ModelSpec } from '@deepspike/dsl';
import { buildModel, emitModel } from '@deepspike/codegen';
import { train } from '@deepspike/train';
import { createLoader } from '@deepspike/datasets';
import { disposeBatches, mapModel, modelToGraph, takeSamples, type LabelledBatch, type PopulationNode, type RunnableModel } from '@deepspike/neuromorphic';
import { AdaptiveLIF, openToyPatterns, toyChip } from '../src/index.js';

const MODEL = fileURLToPath(new URL('../../adaptive-lif-toy/adaptive-lif-toy.snn.json', import.meta.url));
const PLUGIN = '@deepspike-examples/plugin-adaptive-lif';
const GENERATED = fileURLToPath(new URL('./.generated/', import.meta.url));

/** Strict type-check (the repository's settings, workspace packages resolved to their sources). */
function typecheck(paths: string[]): string[] {
  const program = ts.createProgram(paths, {
    target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noImplicitOverride: true, isolatedModules: true, verbatimModuleSyntax: true, skipLibCheck: true, noEmit: true, types: ['node'],
    customConditions: ['deepspike-source'],
  });
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
  return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, host).trim());
}

describe('examples/adaptive-lif-toy (a model file using all four plugin entries)', () => {
  let text: string;
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    text = await readFile(MODEL, 'utf8');
  });

  it('names its plugin in "plugins"; without that field its neuron, surrogate, dataset and target are reported', async () => {
    expect(JSON.parse(text).plugins).to.deep.equal([PLUGIN]);
    const r = await checkModel(text.replace(/ *"plugins": \[[^\]]*\],\n/, ''), { file: 'm.snn.json', registry: new Registry() });
    const paths = r.problems.map((p) => p.path);
    expect(r.valid).to.equal(false);
    expect(paths).to.include.members(['/defaults/neuron/kind', '/defaults/neuron/surrogate/name', '/training/dataset/name']);
  });

  it('validates from the file alone: the plugin it names is resolved from its folder and loaded', async () => {
    const registry = new Registry();
    const r = await checkModelFile(MODEL, { registry });
    expect(r.problems).to.deep.equal([]);
    expect(registry.loadedPlugins()).to.include(PLUGIN);
    expect(registry.has('target', 'toy-chip')).to.equal(true);
  });

  it('validates once the plugin is loaded (its schema fragments merged)', async () => {
    const r = await checkModel(text, { file: 'm.snn.json', plugins: [PLUGIN] });
    expect(r.problems).to.deep.equal([]);
    expect(r.valid).to.equal(true);
  });

  it('reports errors in the plugin fields like built-in ones (path and line:column)', async () => {
    const bad = text
      .replace('"beta": 0.2', '"beta": -1')
      .replace('"alpha": 1}', '"alpha": 0}')
      .replace('"side": 8,', '"side": "8",')
      .replace('"cores": 16', '"cores": 16, "corez": 2');
    const r = await checkModel(bad, { file: 'bad.snn.json', plugins: [PLUGIN] });
    const lines = bad.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const got = r.problems.map((p) => [p.path, p.line]);
    expect(got).to.deep.equal([
      ['/defaults/neuron/surrogate/params/alpha', at('"alpha": 0}')],
      ['/defaults/neuron/options/beta', at('"beta": -1')],
      ['/training/dataset/options/side', at('"side": "8"')],
      ['/hardware/options/corez', at('"corez"')],
    ]);
    expect(r.problems[1]!.message).to.match(/got -1; expected a number >= 0/);
    expect(r.problems[3]!.message).to.match(/unknown property "corez".*"cores"/);
  });

  it('generates a typed model class that compiles under tsc --strict and runs with the plugin neuron', async function () {
    this.timeout(120_000);
    const r = await checkModel(text, { file: 'm.snn.json', plugins: [PLUGIN] });
    const file = emitModel(r.spec!, { sourceFile: 'examples/adaptive-lif-toy/adaptive-lif-toy.snn.json' });
    expect(file.content).to.match(/export class AdaptiveLifToy extends SpikingModel/);
    expect(file.content).to.include("kind: 'adaptive-lif'");
    expect(file.content).to.include("name: 'triangle'");
    await mkdir(GENERATED, { recursive: true });
    const path = join(GENERATED, file.path);
    await writeFile(path, file.content);
    // A user's file typed against the generated class and the plugin's exports.
    const use = join(GENERATED, 'use.ts');
    await writeFile(use, [
      "import { AdaptiveLIF } from '@deepspike-examples/plugin-adaptive-lif';",
      "import type { NeuronLayer } from '@deepspike/core';",
      "import { AdaptiveLifToy } from './adaptive-lif-toy.generated.js';",
      'const model = new AdaptiveLifToy({ seed: 1 });',
      'const neuron: NeuronLayer = model.adaptiveLif1;',
      'export const beta: number | undefined = neuron instanceof AdaptiveLIF ? neuron.beta : undefined;',
      'export const shape: readonly [2] = AdaptiveLifToy.outputShape;',
      '',
    ].join('\n'));
    expect(typecheck([path, use])).to.deep.equal([]);

    const mod = (await import(pathToFileURL(path).href)) as { AdaptiveLifToy: new (o?: { seed?: number }) => { forward(x: tf.Tensor): tf.Tensor; neuronLayers(): Map<string, unknown>; namedParameters(): Map<string, tf.Tensor>; dispose(): void } };
    const model = new mod.AdaptiveLifToy({ seed: 0 });
    expect([...model.neuronLayers().values()].every((n) => n instanceof AdaptiveLIF)).to.equal(true);
    // the runtime twin builds the same network (codegen's twins.test.ts does this for the first-party examples)
    const twin = buildModel(r.spec!, { seed: 0 });
    const generatedParams = model.namedParameters();
    expect([...generatedParams.keys()]).to.deep.equal([...twin.namedParameters().keys()]);
    for (const [k, v] of generatedParams) expect(Array.from(v.dataSync()), k).to.deep.equal(Array.from(twin.namedParameters().get(k)!.dataSync()));
    const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 2);
    const y = model.forward(x);
    expect(y.shape).to.deep.equal([3, 2]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).to.equal(true);
    const yTwin = twin.forward(x);
    expect(Array.from(yTwin.dataSync())).to.deep.equal(Array.from(y.dataSync()));
    tf.dispose([x, y, yTwin]);
    twin.dispose();
    model.dispose();
  });

  it('builds with AdaptiveLIF neurons and trains: loss falls and the test accuracy beats chance', async function () {
    this.timeout(300_000);
    await loadDslPlugins([PLUGIN]);
    const r = await checkModel(text, { file: 'm.snn.json' });
    const spec = r.spec as ModelSpec;
    const model = buildModel(spec, { seed: 0 });
    const neurons = [...model.neuronLayers().values()];
    expect(neurons.length).to.equal(2);
    for (const n of neurons) expect(n).to.be.instanceOf(AdaptiveLIF);
    expect((neurons[0] as AdaptiveLIF).beta).to.equal(0.2);
    model.dispose();

    const out = await mkdtemp(join(tmpdir(), 'alif-toy-'));
    try {
      const before = tf.memory().numTensors;
      const result = await train({
        spec,
        buildModel: (s) => buildModel(s, { seed: 0 }),
        out,
        epochs: 2,
        progress: 'silent',
        report: false,
        log: () => {},
      });
      expect(result.steps).to.equal(16);
      expect(result.test!.accuracy).to.be.greaterThan(0.8);
      const metrics = (await readFile(result.metricsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { loss?: number; step: number });
      const losses = metrics.filter((m) => typeof m.loss === 'number');
      expect(losses.at(-1)!.loss!).to.be.lessThan(losses[0]!.loss!);
      result.model.dispose();
      expect(tf.memory().numTensors).to.be.at.most(before + 2);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
  it('maps: the graph carries the adaptation, the float graph spikes as the model does, the integer graph agrees', async function () {
    this.timeout(120_000);
    await loadDslPlugins([PLUGIN]);
    const spec = (await checkModel(text, { file: 'm.snn.json' })).spec as ModelSpec;
    const model = buildModel(spec, { seed: 0 }) as unknown as RunnableModel;
    model.setTraining(false);
    const graph = modelToGraph(model, { inputShape: spec.input.shape, timesteps: spec.timesteps, readout: 'membrane' });
    const pops = graph.nodes.filter((n): n is PopulationNode => n.kind === 'population');
    expect(pops.map((p) => [p.name, p.decay, p.threshold, p.adaptation])).to.deep.equal([
      ['adaptiveLif1', 0.25, 0.5, { beta: 0.2, rho: 0.9 }],
      ['adaptiveLif2', 0.25, 0.5, { beta: 0.2, rho: 0.9 }],
    ]);
    const batches: LabelledBatch[] = [];
    const loader = createLoader(openToyPatterns({ side: 8, testSize: 64, seed: 0 }), { split: 'test', batchSize: 32, shuffle: false, seed: 0 });
    for await (const b of loader) batches.push(takeSamples(b, 32));
    try {
      const { report } = mapModel(model, { inputShape: spec.input.shape, readout: 'membrane', chip: toyChip({ cores: 16 }), bits: 8, fold: 'auto', batches });
      expect(report.verify.samples).to.equal(64);
      // float64 graph vs the float32 model: the same spikes, layer by layer (threshold adaptation included)
      expect(report.verify.spikeMismatchRate).to.be.below(1e-3);
      expect(report.verify.floatVsModel).to.equal(1);
      expect(report.agreement).to.be.at.least(0.9);
    } finally {
      disposeBatches(batches);
      model.dispose();
    }
  });
});
