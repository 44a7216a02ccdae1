import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, installPlugin, registry, deepspikePlugin as corePlugin, type SpikingModel } from '@deepspike/core';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { buildModel, emitModel, planModel } from '@deepspike/codegen';
import { validateModelFile } from '@deepspike/dsl';
import { GENERATED_DIR, importGenerated, writeGenerated } from './helpers/compile.js';

/**
 * emitModel (the generated class) and buildModel (its runtime twin, `instantiate` per node) must
 * build the same network: this test, not a comment, keeps them in step as layer kinds are added.
 * Every example model file of examples/ is checked, except those that name a plugin package in
 * "plugins" (their plugin's own tests compare the two: examples/plugin-adaptive-lif/test/model-file.test.ts).
 */
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const modelFiles = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.snn.json')).map((f) => join(EXAMPLES, d.name, f)))
  .sort();
const firstParty = modelFiles.filter((f) => (JSON.parse(readFileSync(f, 'utf8')) as { plugins?: unknown[] }).plugins === undefined);

/** Bitwise equality of two float32 tensors' values. */
const sameBits = (a: tf.Tensor, b: tf.Tensor): boolean => Buffer.from(a.dataSync().buffer).equals(Buffer.from(b.dataSync().buffer));

describe('codegen twins: the generated class and buildModel build the same network for every example model file', function () {
  this.timeout(600_000);
  before(async () => {
    await initBackend('wasm', { log: () => {} });
    // From this module graph (see examples.test.ts: a DSL import() would load a second copy of core).
    for (const p of [corePlugin, surrogatePlugin, tdbnPlugin]) installPlugin(p, registry);
  });

  it('finds the example model files (those naming a plugin are left to that plugin\'s tests)', () => {
    expect(firstParty.length).to.be.at.least(9);
    expect(modelFiles.filter((f) => !firstParty.includes(f)).map((f) => relative(EXAMPLES, f))).to.deep.equal(['adaptive-lif-toy/adaptive-lif-toy.snn.json']);
  });

  for (const file of firstParty) {
    const name = relative(EXAMPLES, file).split('/')[0]!;
    it(`${name}: same parameter names and values, same neuron layers, bitwise-equal outputs`, async () => {
      const spec = await validateModelFile(file, { plugins: false });
      const outDir = join(GENERATED_DIR, 'twins');
      const emitted = emitModel(spec, { sourceFile: relative(outDir, file).split('\\').join('/') });
      const [path] = writeGenerated([emitted], 'twins');
      const Generated = await importGenerated<SpikingModel & { neuronLayers(): Map<string, unknown> }>(path!, planModel(spec).className);
      const imagenet = spec.input.shape[0] === 224;
      const timesteps = imagenet ? 1 : spec.timesteps;
      const a = new Generated({ seed: 3, timesteps });
      const b = buildModel(spec, { seed: 3, timesteps });
      try {
        const pa = a.namedParameters();
        const pb = b.namedParameters();
        expect([...pa.keys()], 'parameter names').to.deep.equal([...pb.keys()]);
        for (const [k, v] of pa) {
          expect(v.shape, k).to.deep.equal(pb.get(k)!.shape);
          expect(sameBits(v, pb.get(k)!), `${k}: same initial values`).to.equal(true);
        }
        expect([...a.neuronLayers().keys()], 'neuron layers').to.deep.equal([...b.neuronLayers().keys()]);
        const n = imagenet ? 1 : 2;
        const shape = spec.input.encoding === 'events' ? [timesteps, n, ...spec.input.shape] : [n, ...spec.input.shape];
        const x = tf.tidy(() => (spec.input.encoding === 'events' ? tf.cast(tf.less(tf.randomUniform(shape, 0, 1, 'float32', 4), 0.2), 'float32') : tf.randomUniform(shape, 0, 1, 'float32', 4)));
        const ya = a.forward(x);
        const yb = b.forward(x);
        expect(ya.shape).to.deep.equal(yb.shape);
        expect(sameBits(ya, yb), 'forward outputs').to.equal(true);
        expect(tf.moments(ya).variance.dataSync()[0], 'outputs differ between classes').to.be.greaterThan(0);
        tf.dispose([x, ya, yb]);
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
});
