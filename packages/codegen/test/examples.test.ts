import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, installPlugin, registry, deepspikePlugin as corePlugin, type SpikingModel } from '@deepspike/core';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { emitModel, planModel, type EmittedFile } from '@deepspike/codegen';
import { inferShapes, validateModelFile, type ModelSpec } from '@deepspike/dsl';
import { GENERATED_DIR, importGenerated, typecheck, writeGenerated } from './helpers/compile.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
/** The example models of issue 4 (other folders, e.g. plugin examples, are tested by their owners). */
const MODELS: string[] = ['cifar10dvs-resnet19', 'mnist-tdbn', 'nmnist-cnn', 'resnet17-dvsgesture', 'resnet19-cifar10', 'resnet34-imagenet', 'resnet50-imagenet'];
/** The zoo architectures of issue 21 (SEW-ResNet, MS-ResNet, spiking VGG, Spikformer). */
const ZOO_MODELS = ['sew-resnet18-imagenet', 'sew-resnet34-imagenet', 'ms-resnet18-imagenet', 'vgg11-cifar10', 'vgg16-cifar10', 'spikformer-cifar10'];
MODELS.push(...ZOO_MODELS);
const files = MODELS.map((m) => join(EXAMPLES, m, `${m}.snn.json`));

/** Trainable parameters of a spiking ResNet counted by hand: convs without bias, two per-channel parameters (lambda, beta) per norm. */
function basic(cin: number, cout: number, project: boolean): number {
  return 9 * cin * cout + 9 * cout * cout + 4 * cout + (project ? cin * cout + 2 * cout : 0);
}
function bottleneck(cin: number, planes: number, project: boolean): number {
  const out = 4 * planes;
  return cin * planes + 9 * planes * planes + planes * out + 2 * (2 * planes + out) + (project ? cin * out + 2 * out : 0);
}
const resnet19 = (cin: number): number =>
  9 * cin * 128 + 256 + 3 * basic(128, 128, false) + basic(128, 256, true) + 2 * basic(256, 256, false) + basic(256, 512, true) + basic(512, 512, false) + (512 * 256 + 256) + (256 * 10 + 10);
/** torchvision's resnet34 / resnet50 parameter counts (BN weight+bias = tdBN lambda+beta). */
const EXPECTED_PARAMS: Readonly<Record<string, number>> = {
  'resnet19-cifar10': resnet19(3),
  'cifar10dvs-resnet19': resnet19(2),
  'resnet17-dvsgesture':
    9 * 2 * 64 + 128 + 3 * basic(64, 64, false) + basic(64, 128, true) + basic(128, 128, false) + basic(128, 256, true) + basic(256, 256, false) + (256 * 256 + 256) + (256 * 11 + 11),
  'resnet34-imagenet': 21_797_672,
  'resnet50-imagenet': 25_557_032,
  // SEW's spiking downsample adds only a neuron: torchvision's resnet18 / resnet34 counts
  'sew-resnet18-imagenet': 11_689_512,
  'sew-resnet34-imagenet': 21_797_672,
  // the authors' MS-ResNet-18 strides stage 1 too, so it has a 64 -> 64 projection (conv 1x1 + norm) more
  'ms-resnet18-imagenet': 11_689_512 + 64 * 64 + 2 * 64,
  // SPS convs to 16/32/64/128 + the position conv, norms; per block q, k, v, proj (128x128) and the 128-512-128 MLP (1x1 convs without bias, each followed by a norm); head
  'spikformer-cifar10':
    9 * (3 * 16 + 16 * 32 + 32 * 64 + 64 * 128 + 128 * 128) + 2 * (16 + 32 + 64 + 128 + 128) + 2 * (4 * 128 * 128 + 2 * 128 * 512 + 2 * (4 * 128 + 512 + 128)) + (128 * 10 + 10),
  'vgg16-cifar10':
    9 * (3 * 64 + 64 * 64 + 64 * 128 + 128 * 128 + 128 * 256 + 2 * 256 * 256 + 256 * 512 + 5 * 512 * 512) + 2 * (2 * 64 + 2 * 128 + 3 * 256 + 6 * 512) + (512 * 10 + 10),
  'vgg11-cifar10': 9 * (3 * 64 + 64 * 128 + 128 * 256 + 256 * 256 + 256 * 512 + 3 * 512 * 512) + 2 * (64 + 128 + 2 * 256 + 4 * 512) + (512 * 10 + 10),
  'mnist-tdbn': 9 * 32 + 64 + 9 * 32 * 64 + 128 + 7 * 7 * 64 * 256 + 256 + 256 * 10 + 10,
  'nmnist-cnn': 9 * 2 * 32 + 64 + 9 * 32 * 64 + 128 + 9 * 9 * 64 * 10 + 10,
  'nmnist-saccade': 9 * 2 * 32 + 64 + 9 * 32 * 64 + 128 + 8 * 8 * 64 * 10 + 10,
  'fashion-mnist-tdbn': 9 * 32 + 64 + 9 * 32 * 64 + 128 + 7 * 7 * 64 * 256 + 256 + 256 * 10 + 10,
};

describe('examples/: every model validates, generates, compiles and runs a forward pass', function () {
  this.timeout(600_000);
  const specs = new Map<string, ModelSpec>();
  const emitted = new Map<string, EmittedFile>();
  const paths = new Map<string, string>();

  before(async () => {
    await initBackend('wasm', { log: () => {} });
    // Install the first-party plugins from this module graph (mocha runs specs as CommonJS through
    // tsx; letting the DSL import() them would build a second, ESM copy of core and tf.js).
    for (const p of [corePlugin, surrogatePlugin, tdbnPlugin]) installPlugin(p, registry);
    for (const file of files) {
      const spec = await validateModelFile(file, { plugins: false });
      const outDir = join(GENERATED_DIR, 'examples');
      const out = emitModel(spec, { sourceFile: relative(outDir, file).split('\\').join('/') });
      specs.set(spec.name, spec);
      emitted.set(spec.name, out);
      paths.set(spec.name, writeGenerated([out], 'examples')[0] as string);
    }
  });

  it(`validates the ${MODELS.length} example models, each in its own folder`, () => {
    expect([...specs.keys()]).to.deep.equal(MODELS);
    for (const m of MODELS) expect(readdirSync(join(EXAMPLES, m)).filter((f) => f.endsWith('.snn.json'))).to.deep.equal([`${m}.snn.json`]);
  });

  it('codegen propagates the same shapes as the DSL\'s inferShapes', () => {
    for (const [name, spec] of specs) {
      const plan = planModel(spec);
      const report = inferShapes(spec);
      expect(plan.nodes.map((n) => n.outShape), name).to.deep.equal(report.layers.map((l) => [...l.output]));
      expect(plan.outputShape, name).to.deep.equal([...report.output]);
    }
  });

  it('the generated classes import only packages @deepspike/codegen depends on (a project with codegen has them)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const [name, out] of emitted) {
      const imported = [...out.content.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)';/gms)].map((m) => m[1]!);
      expect(imported.length, `${name} imports`).to.be.greaterThan(0);
      expect(imported.filter((p) => !(p in manifest.dependencies)), `${name}: imports missing from codegen's dependencies`).to.deep.equal([]);
    }
    expect([...emitted.values()].some((o) => o.content.includes("from '@deepspike/tdbn'")), 'some example uses tdBN').to.equal(true);
  });

  it('the generated classes compile under tsc --strict', () => {
    expect(typecheck([...paths.values()])).to.deep.equal([]);
  });

  for (const file of files) {
    const name = file.split('/').pop()!.replace('.snn.json', '');
    it(`${name}: one forward pass with the expected parameter count`, async () => {
      const spec = specs.get(name)!;
      const plan = planModel(spec);
      const Model = await importGenerated<SpikingModel>(paths.get(name)!, plan.className);
      const imagenet = spec.input.shape[0] === 224;
      const model = new Model(imagenet ? { timesteps: 1 } : {});
      expect(model.countParameters(), 'trainable parameters').to.equal(EXPECTED_PARAMS[name]);
      const n = imagenet ? 1 : 2;
      const t = model.timesteps;
      const events = spec.input.encoding === 'events';
      const x = events ? tf.cast(tf.less(tf.randomUniform([t, n, ...spec.input.shape], 0, 1, 'float32', 1), 0.2), 'float32') : tf.randomUniform([n, ...spec.input.shape], 0, 1, 'float32', 1);
      const y = model.forward(x);
      expect(y.shape).to.deep.equal([n, ...plan.outputShape]);
      const v = Array.from(y.dataSync());
      expect(v.every(Number.isFinite), 'finite logits').to.equal(true);
      expect(new Set(v).size, 'logits differ between classes').to.be.greaterThan(1);
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});
