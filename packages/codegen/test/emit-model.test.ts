import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type SpikingModel } from '@deepspike/core';
import { buildModel, emitModel, type EmittedFile } from '@deepspike/codegen';
import { firstPartyRegistry, importGenerated, typecheck, writeGenerated } from './helpers/compile.js';
import { readScenarios, writeExpected } from './helpers/scenarios.js';

const scenarios = readScenarios();
const update = process.env.UPDATE_GOLDEN === '1';
const emitted = new Map<string, EmittedFile>(scenarios.map((s) => [s.name, emitModel(s.spec, { sourceFile: `scenarios/${s.name}.snn.json` })]));
/** Scenarios whose layers are all first-party (the plugin one only type-checks). */
const runnable = ['conv-membrane', 'resnet-repeat', 'events-tet', 'graph-recurrent'];

describe('emitModel: golden scenarios (UPDATE_GOLDEN=1 rewrites them)', () => {
  for (const s of scenarios) {
    it(`${s.name} emits the expected TypeScript`, () => {
      const out = emitted.get(s.name) as EmittedFile;
      expect(out.path).to.equal(`${s.spec.name}.generated.ts`);
      if (update) writeExpected(s, out.content);
      else expect(out.content, `${s.file} is stale; run UPDATE_GOLDEN=1 npx mocha and review the diff`).to.equal(s.expected);
    });
  }

  it('is deterministic and does not depend on the spec object it is given', () => {
    for (const s of scenarios) {
      const again = emitModel(JSON.parse(JSON.stringify(s.spec)), { sourceFile: `scenarios/${s.name}.snn.json` });
      expect(again.content).to.equal(emitted.get(s.name)?.content);
    }
  });
});

describe('emitModel: generated classes', () => {
  const registry = firstPartyRegistry();
  let paths: Map<string, string>;
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    const written = writeGenerated([...emitted.values()], 'scenarios');
    paths = new Map(scenarios.map((s, i) => [s.name, written[i] as string]));
  });

  it('compile under tsc --strict with no diagnostics', () => {
    expect(typecheck([...paths.values()])).to.deep.equal([]);
  });

  for (const name of runnable) {
    it(`${name}: the class and buildModel have the same parameters and outputs for the same seed`, async () => {
      const s = scenarios.find((x) => x.name === name)!;
      const Generated = await importGenerated<SpikingModel & { neuronLayers(): Map<string, unknown> }>(paths.get(name)!, classNameOf(name));
      const a = new Generated({ registry, seed: 5 });
      const b = buildModel(s.spec, { registry, seed: 5 });
      const pa = a.namedParameters();
      const pb = b.namedParameters();
      expect([...pa.keys()]).to.deep.equal([...pb.keys()]);
      for (const [k, v] of pa) expect(Array.from(v.dataSync()), k).to.deep.equal(Array.from(pb.get(k)!.dataSync()));
      expect([...a.neuronLayers().keys()]).to.deep.equal([...b.neuronLayers().keys()]);
      const shape = s.spec.input.encoding === 'events' ? [s.spec.timesteps, 2, ...s.spec.input.shape] : [2, ...s.spec.input.shape];
      const x = tf.randomUniform(shape, 0, 1, 'float32', 9);
      const ya = a.forward(x);
      const yb = b.forward(x);
      expect(ya.shape).to.deep.equal(yb.shape);
      expect(Array.from(ya.dataSync())).to.deep.equal(Array.from(yb.dataSync()));
      const spread = tf.moments(ya).variance.dataSync()[0] as number;
      expect(spread, 'outputs differ between samples/classes').to.be.greaterThan(0);
      const other = new Generated({ registry, seed: 6 });
      expect(Array.from(other.forward(x).dataSync())).to.not.deep.equal(Array.from(ya.dataSync()));
      for (const m of [a, b, other]) m.dispose();
    });
  }
});

function classNameOf(scenario: string): string {
  return { 'conv-membrane': 'SmallConv', 'resnet-repeat': 'MiniResnet', 'events-tet': 'DvsTet', 'graph-recurrent': 'GraphRecurrent' }[scenario] as string;
}
