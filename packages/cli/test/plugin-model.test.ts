import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture } from './capture.js';

/** The example model built from the third-party plugin; it names the plugin in its "plugins" field. */
const TOY = fileURLToPath(new URL('../../../examples/adaptive-lif-toy/adaptive-lif-toy.snn.json', import.meta.url));
const PLUGIN = '@deepspike-examples/plugin-adaptive-lif';
const toyText = readFileSync(TOY, 'utf8');

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): [number, number] {
  const i = text.indexOf(needle);
  const before = text.slice(0, i).split('\n');
  return [before.length, (before.at(-1)?.length ?? 0) + 1];
}

describe('model files that name their plugins (no --plugin, no NODE_OPTIONS)', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'deepspike-plugin-model-'));
  const run = join(dir, 'run');
  before(async () => {
    // 2 epochs: 16 steps of 32 samples; the toy task reaches 100 % test accuracy after the second epoch.
    const r = await capture(['train', TOY, '--backend', 'cpu', '--epochs', '2', '--out', run, '--no-progress']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/train: test accuracy \d+\.\d+% \(64 samples/);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('validates, generates and evaluates the toy model with the plugin it names', async () => {
    const v = await capture(['validate', TOY]);
    expect([v.code, v.out]).to.deep.equal([0, `${TOY}: valid`]);
    const g = await capture(['generate', TOY, '--out', dir]);
    expect(g.code, g.err).to.equal(0);
    expect(readFileSync(join(dir, 'adaptive-lif-toy.generated.ts'), 'utf8')).to.contain("kind: 'adaptive-lif'");
    const e = await capture(['evaluate', TOY, '--checkpoint', run, '--json', '--backend', 'cpu']);
    expect(e.code, e.err).to.equal(0);
    const j = JSON.parse(e.out) as { accuracy: number; samples: number };
    expect(j.samples).to.equal(64);
    expect(j.accuracy).to.be.at.least(0.9);
  });

  it('maps onto the plugin chip with hardware.options: integer vs float agreement >= 98 % on the 64 test samples', async () => {
    const out = join(dir, 'toy-chip');
    const r = await capture(['map', TOY, '--checkpoint', run, '--verify', '64', '--out', out, '--json', '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    const j = JSON.parse(r.out);
    expect([j.target, j.chip.cores, j.verify.samples]).to.deep.equal(['toy-chip', 16, 64]);
    // measured 100 % (64/64) integer-vs-float agreement, 0 spike mismatches model vs float graph, integer
    // spike total within 2 % of the float graph's (8-bit weights, 16-bit state, adaptive thresholds)
    expect(j.agreement).to.be.at.least(0.98);
    expect(j.verify.floatVsModel).to.be.at.least(0.98);
    expect(j.verify.spikeMismatchRate).to.be.below(1e-3);
    expect(Math.abs(j.verify.firingRate.relativeChange)).to.be.below(0.1);
    expect(j.fits).to.equal(true);
  });

  it('passes hardware.options to the target: a 2-core toy chip cannot hold the model (exit 2)', async () => {
    const small = join(dir, 'small.snn.json');
    // In a folder without node_modules: the plugin is found next to DeepSpike (the resolver's last resort).
    writeFileSync(small, toyText.replace('"options": {"cores": 16}', '"options": {"cores": 2}'));
    const r = await capture(['map', small, '--checkpoint', run, '--verify', '8', '--out', join(dir, 'small'), '--json', '--backend', 'cpu']);
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.out.slice(r.out.indexOf('{'))).chip.cores).to.equal(2);
    expect(r.err).to.contain('cores > 2 cores on toy-chip');
    // --target names another chip: the file's options are not its options; the crossbar has no adaptive thresholds
    const x = await capture(['map', TOY, '--checkpoint', run, '--target', 'crossbar', '--verify', '8', '--out', join(dir, 'crossbar'), '--backend', 'cpu']);
    expect(x.code).to.equal(2);
    expect(x.err).to.contain('map: hardware.options are for toy-chip; crossbar is built with its defaults');
    expect(x.err).to.contain('map: adaptiveLif1: spike-triggered threshold adaptation is not available on crossbar');
  });

  it('reports a typo in hardware.options like any schema error (file:line:column, JSON path), for plugin and built-in targets', async () => {
    const typo = join(dir, 'typo.snn.json');
    const text = toyText.replace('"options": {"cores": 16}', '"options": {"coers": 16}');
    writeFileSync(typo, text);
    const [line, col] = at(text, '"coers"');
    for (const command of [['validate', typo], ['map', typo, '--checkpoint', run, '--backend', 'cpu']]) {
      const r = await capture(command);
      expect(r.code, command[0]).to.equal(1);
      expect(r.err).to.contain(`${typo}:${line}:${col}  /hardware/options/coers  unknown property "coers" (got "coers"; expected one of "cores", "neuronsPerCore", "axonsPerCore"). Did you mean "cores"?`);
    }
    const crossbar = join(dir, 'crossbar.snn.json');
    const text2 = toyText.replace('"target": "toy-chip"', '"target": "crossbar"').replace('"options": {"cores": 16}', '"options": {"cores": 16, "neuron": 64}');
    writeFileSync(crossbar, text2);
    const [l2, c2] = at(text2, '"neuron": 64');
    const r2 = await capture(['validate', crossbar]);
    expect(r2.code).to.equal(1);
    expect(r2.err, r2.err).to.contain(`${crossbar}:${l2}:${c2}  /hardware/options/neuron  unknown property "neuron"`).and.contain('Did you mean "neurons"?');
    const loihi = join(dir, 'loihi.snn.json');
    writeFileSync(loihi, toyText.replace('"target": "toy-chip"', '"target": "loihi"'));
    const r3 = await capture(['validate', loihi]);
    expect(r3.code).to.equal(1);
    expect(r3.err).to.contain('/hardware/options/cores  unknown property "cores" (got "cores"; expected one of (none registered))');
  });

  it('refuses to export the adaptive neurons to NIR (no such NIR primitive)', async () => {
    const r = await capture(['export-nir', TOY, '--checkpoint', run, '--out', join(dir, 'toy.nir'), '--backend', 'cpu']);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/^exportNIR: node "adaptiveLif1" is a population with spike-triggered threshold adaptation, got adaptation \{beta, rho\}; expected a population without it\. NIR has no adaptive-threshold neuron primitive/m);
  });

  it('reports a plugin that is not installed at /plugins/0 with the model file, line, column and the fix', async () => {
    const bad = join(dir, 'bad-plugin.snn.json');
    const text = toyText.replace(`"plugins": ["${PLUGIN}"]`, '"plugins": ["@deepspike-examples/plugin-adaptive-lfi"]');
    writeFileSync(bad, text);
    const [line, col] = at(text, '"@deepspike-examples/plugin-adaptive-lfi"');
    for (const command of [['validate', bad], ['train', bad, '--max-steps', '1', '--backend', 'cpu'], ['evaluate', bad, '--checkpoint', run, '--backend', 'cpu']]) {
      const r = await capture(command);
      expect(r.code, command[0]).to.equal(1);
      expect(r.err, command[0]).to.contain(
        `${bad}:${line}:${col}  /plugins/0  plugin "@deepspike-examples/plugin-adaptive-lfi" not found (got no node_modules/@deepspike-examples/plugin-adaptive-lfi in ${dir} or any parent folder, nor next to @deepspike/dsl; ` +
          `expected an installed npm package exporting deepspikePlugin). Install it where the model file is (\`npm install @deepspike-examples/plugin-adaptive-lfi\` in ${dir} or a parent folder), or fix the name. ` +
          `Did you mean "${PLUGIN}"?`,
      );
    }
  });

  it('takes repeatable --plugin flags resolved from the working directory', async () => {
    const bare = join(dir, 'bare.snn.json');
    writeFileSync(bare, toyText.replace(/ *"plugins": \[[^\]]*\],\n/, ''));
    // (the process-wide registry already holds the plugin from the tests above, so only the flags' resolution is tested here)
    const pluginDir = relative(process.cwd(), fileURLToPath(new URL('../../../examples/plugin-adaptive-lif', import.meta.url)));
    const flags = await capture(['validate', bare, '--plugin', '@deepspike/neuromorphic', '--plugin', `./${pluginDir}`]);
    expect(flags.code, flags.err).to.equal(0);
    const bad = await capture(['map', bare, '--checkpoint', run, '--plugin', './no/such/plugin.js', '--backend', 'cpu']);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain(`--plugin "./no/such/plugin.js": not found, got no file or folder ${join(process.cwd(), 'no/such/plugin.js')}; expected a plugin module or package folder at that path. Fix the path: it is relative to the working directory`);
  });
});
