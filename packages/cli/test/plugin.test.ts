import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@deepspike/codegen';
import { modelToGraph, type MappingReport, type PopulationNode } from '@deepspike/neuromorphic';
import { loadModelSpec } from '../src/shared/plugin-flag.js';
import { capture } from './capture.js';
import { registerTinyDataset } from './fixtures/tiny-dataset.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(join(ROOT, 'package.json'));

/** Links what the scaffolded package would install from npm to this workspace's copies. */
function linkDependencies(dir: string): void {
  const link = (name: string, target: string) => {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', name), 'dir');
  };
  link('@deepspike/core', join(ROOT, 'packages/core'));
  link('@deepspike/neuromorphic', join(ROOT, 'packages/neuromorphic'));
  for (const name of ['@tensorflow/tfjs-core', '@types/node', 'chai', 'mocha']) link(name, dirname(require.resolve(`${name}/package.json`)));
}

describe('deepspike plugin init', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'deepspike-plugin-init-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('scaffolds a package that type-checks, builds and passes its own test against @deepspike/core', async function () {
    this.timeout(180_000);
    const dir = join(tmp, 'alif');
    const r = await capture(['plugin', 'init', '@acme/deepspike-alif', '--dir', dir]);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include('neuron "alif", class AlifNeuron');
    for (const f of ['package.json', 'tsconfig.json', '.mocharc.json', '.gitignore', 'README.md', 'src/index.ts', 'src/plugin.ts', 'src/neuron.ts', 'test/neuron.test.js']) {
      expect(existsSync(join(dir, f)), f).to.equal(true);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const cliVersion = (JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    expect(pkg.name).to.equal('@acme/deepspike-alif');
    expect(pkg.peerDependencies).to.deep.equal({ '@deepspike/core': `^${cliVersion}`, '@deepspike/neuromorphic': `^${cliVersion}` });
    expect(pkg.peerDependenciesMeta).to.deep.equal({ '@deepspike/neuromorphic': { optional: true } });
    expect(readFileSync(join(dir, 'src/plugin.ts'), 'utf8')).to.not.match(/\{\{\w+\}\}/);

    linkDependencies(dir);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, stdio: 'pipe' });
    expect(existsSync(join(dir, 'dist/index.d.ts'))).to.equal(true);
    const out = execFileSync(process.execPath, [join(dir, 'node_modules/mocha/bin/mocha.js'), '--reporter', 'dot'], { cwd: dir, encoding: 'utf8' });
    // the hand-computed spikes, and the hardware description checked by @deepspike/neuromorphic
    expect(out).to.match(/2 passing/);
    expect(out).to.not.match(/failing/);
  });

  it('a model file naming the scaffold trains and maps onto a chip: its neuron is a LIF population of its own vth and tau, the graph spikes as the model', async function () {
    this.timeout(120_000);
    const file = join(tmp, 'uses-alif.snn.json');
    writeFileSync(file, JSON.stringify({
      name: 'uses-alif', plugins: ['./alif'], input: { shape: [4, 4, 1], encoding: 'direct' }, timesteps: 3,
      defaults: { neuron: { kind: 'alif', vth: 0.3, tau: 0.5 } },
      layers: [{ type: 'flatten' }, { type: 'linear', units: 8 }, { type: 'neuron' }, { type: 'linear', units: 4 }],
      readout: 'membrane',
      training: { dataset: { name: 'tiny-cli' }, batchSize: 8, epochs: 1, optimizer: { name: 'adam', lr: 0.02 }, loss: 'rate-ce', seed: 5 },
      hardware: { target: 'crossbar', options: { cores: 4 } },
    }));
    registerTinyDataset();
    // the hardware description, as the mapper reads it from the built model
    const spec = await loadModelSpec(file, {});
    const model = buildModel(spec, { seed: 5 });
    try {
      const pops = modelToGraph(model, { inputShape: spec.input.shape, timesteps: spec.timesteps, readout: 'membrane' }).nodes.filter((n): n is PopulationNode => n.kind === 'population');
      expect(pops.map((p) => [p.model, p.decay, p.threshold, p.adaptation])).to.deep.equal([['lif', 0.5, 0.3, undefined]]);
    } finally {
      model.dispose();
    }
    const run = join(tmp, 'uses-alif-run');
    const t = await capture(['train', file, '--backend', 'cpu', '--max-steps', '2', '--out', run, '--no-progress']);
    expect(t.code, t.err).to.equal(0);
    const m = await capture(['map', file, '--checkpoint', run, '--verify', '16', '--out', join(tmp, 'uses-alif-map'), '--json', '--backend', 'cpu']);
    expect(m.code, m.err).to.equal(0);
    const j = JSON.parse(m.out.slice(m.out.indexOf('{'))) as MappingReport;
    expect([j.target, j.fits, j.violations]).to.deep.equal(['crossbar', true, []]);
    expect(j.verify.samples).to.equal(16);
    expect(j.verify.firingRate.float, 'the population spikes, so the comparison means something').to.be.greaterThan(0);
    // float64 graph vs the float32 model: the same spikes and predictions
    expect(j.verify.spikeMismatchRate).to.be.below(1e-3);
    expect(j.verify.floatVsModel).to.equal(1);
  });

  it('a type error in the scaffolded package is caught by the same check (the check can fail)', function () {
    this.timeout(120_000);
    const dir = join(tmp, 'alif');
    const file = join(dir, 'src/neuron.ts');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('this.vth = options.vth ?? 0.5;', "this.vth = options.vth ?? '0.5';"));
    try {
      expect(() => execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit'], { cwd: dir, stdio: 'pipe' })).to.throw();
    } finally {
      writeFileSync(file, good);
    }
  });

  it('refuses a name npm would refuse, and a folder that is not empty (exit 2)', async () => {
    const bad = await capture(['plugin', 'init', 'Bad Name', '--dir', join(tmp, 'x')]);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.include('invalid npm package name, got "Bad Name"');
    const full = join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'x');
    const busy = await capture(['plugin', 'init', 'deepspike-plugin-x', '--dir', full]);
    expect(busy.code).to.equal(2);
    expect(busy.err).to.include(`target folder is not empty, got ${full} with 1 entry`);
    expect(existsSync(join(full, 'package.json'))).to.equal(false);
  });
});
