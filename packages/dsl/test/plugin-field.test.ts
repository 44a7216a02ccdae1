import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginError, Registry } from '@deepspike/core';
import { checkModel, checkModelFile, dslMessages as m, formatProblem, loadPluginSpecs, resolvePluginSpecifier, specHash, validateModelSync } from '@deepspike/dsl';

/**
 * A plugin module as a third party would publish it, in plain ESM without imports: it registers a
 * neuron kind `<kind>` and the schema fragment of its options ({gain: number > 0}).
 */
const pluginSource = (name: string, kind: string): string => `export const deepspikePlugin = {
  name: ${JSON.stringify(name)},
  register(r) { r.register('neuron', ${JSON.stringify(kind)}, { create: () => ({}) }); },
  schemas: [{ kind: 'neuron', name: ${JSON.stringify(kind)}, schema: { type: 'object', properties: { gain: { type: 'number', exclusiveMinimum: 0 } }, additionalProperties: false } }],
};
`;

/** A model whose neurons are of `kind`, with `options`, naming `plugins`. */
const model = (plugins: unknown, kind: string, options: object = { gain: 2 }): string =>
  JSON.stringify(
    {
      name: 'plugged',
      plugins,
      input: { shape: [4] },
      timesteps: 2,
      defaults: { neuron: { kind, options } },
      layers: [{ type: 'linear', units: 3 }, { type: 'neuron' }, { type: 'linear', units: 2 }],
    },
    null,
    2,
  );

describe('the model file plugins field', () => {
  let root: string;
  let project: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'deepspike-plugins-'));
    // <root>/node_modules/@acme/alif: an installed package, reached from <root>/project/models by walking up
    const pkg = join(root, 'node_modules', '@acme', 'alif');
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/alif', type: 'module', exports: { '.': { import: './lib/index.js' }, './package.json': './package.json' } }));
    writeFileSync(join(pkg, 'lib', 'index.js'), pluginSource('@acme/alif', 'acme-alif'));
    // a package whose only export is require-only: found, but nothing an import can load
    const cjs = join(root, 'node_modules', 'cjs-only');
    mkdirSync(cjs, { recursive: true });
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs-only', exports: { require: './index.cjs' } }));
    // a package that is not a plugin
    const notPlugin = join(root, 'node_modules', 'not-a-plugin');
    mkdirSync(notPlugin, { recursive: true });
    writeFileSync(join(notPlugin, 'package.json'), JSON.stringify({ name: 'not-a-plugin', type: 'module', main: 'index.js' }));
    writeFileSync(join(notPlugin, 'index.js'), 'export const answer = 42;\n');
    project = join(root, 'project', 'models');
    mkdirSync(join(project, 'plugins'), { recursive: true });
    writeFileSync(join(project, 'plugins', 'local.mjs'), pluginSource('local-plugin', 'local-lif'));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = join(project, name);
    writeFileSync(file, text);
    return file;
  };

  it('resolves a package name from the model file folder upwards, through its exports map', () => {
    const r = resolvePluginSpecifier('@acme/alif', project);
    expect(r).to.include({ found: true, via: 'node_modules', path: join(root, 'node_modules', '@acme', 'alif', 'lib', 'index.js') });
    expect(resolvePluginSpecifier('@acme/alif/package.json', project)).to.include({ found: true, path: join(root, 'node_modules', '@acme', 'alif', 'package.json') });
    const none = resolvePluginSpecifier('@acme/alif/missing', project);
    expect(none.found).to.equal(false);
    expect((none as { reason: string }).reason).to.contain('has no "./missing" entry');
  });

  it('loads a package named in "plugins", so its neuron kind and option schema count', async () => {
    const registry = new Registry();
    const file = write('installed.snn.json', model(['@acme/alif'], 'acme-alif'));
    const r = await checkModelFile(file, { registry });
    expect(r.problems.map(formatProblem)).to.deep.equal([]);
    expect(registry.loadedPlugins()).to.include('@acme/alif');
    expect(registry.has('neuron', 'acme-alif')).to.equal(true);
    // the plugin's schema fragment checks the options, with the usual line:column
    const bad = await checkModelFile(write('installed-bad.snn.json', model(['@acme/alif'], 'acme-alif', { gain: -1 })), { registry });
    expect(bad.problems.map((p) => [p.path, p.line, p.message])).to.deep.equal([['/defaults/neuron/options/gain', 16, m.bound(-1, '>', 0)]]);
  });

  it('resolves a relative path against the model file folder, not the working directory', async () => {
    const registry = new Registry();
    const file = write('local.snn.json', model(['./plugins/local.mjs'], 'local-lif'));
    expect(process.cwd()).to.not.equal(project);
    const r = await checkModelFile(file, { registry });
    expect(r.valid, r.problems.map(formatProblem).join('\n')).to.equal(true);
    expect(registry.has('neuron', 'local-lif')).to.equal(true);
    // the same text checked without a file resolves from baseDir
    const again = await checkModel(model(['./plugins/local.mjs'], 'local-lif'), { registry: new Registry(), baseDir: project });
    expect(again.valid).to.equal(true);
  });

  it('reports a package that is not installed at /plugins/<i> with line, column, what was found and the fix', async () => {
    const file = write('missing.snn.json', model(['@acme/alif', '@acme/alfi'], 'acme-alif'));
    const r = await checkModelFile(file, { registry: new Registry() });
    expect(r.valid).to.equal(false);
    expect(r.problems).to.have.length(1);
    const p = r.problems[0] as (typeof r.problems)[number];
    expect([p.file, p.path, p.line, p.column]).to.deep.equal([file, '/plugins/1', 5, 5]);
    const reason = `no node_modules/@acme/alfi in ${project} or any parent folder, nor next to @deepspike/dsl`;
    expect(p.message).to.equal(m.pluginNotFound('@acme/alfi', reason, project, false, false, '@acme/alif'));
    expect(formatProblem(p)).to.equal(
      `${file}:5:5  /plugins/1  plugin "@acme/alfi" not found (got ${reason}; expected an installed npm package exporting deepspikePlugin). ` +
        `Install it where the model file is (\`npm install @acme/alfi\` in ${project} or a parent folder), or fix the name. Did you mean "@acme/alif"?`,
    );
  });

  it('reports a wrong relative path, a package without an import entry and a module that is not a plugin', async () => {
    const file = write('bad.snn.json', model(['./plugins/nope.mjs', 'cjs-only', 'not-a-plugin'], 'acme-alif'));
    const r = await checkModelFile(file, { registry: new Registry() });
    expect(r.problems.map((p) => p.path)).to.deep.equal(['/plugins/0', '/plugins/1', '/plugins/2']);
    const [a, b, c] = r.problems.map((p) => p.message) as [string, string, string];
    expect(a).to.equal(m.pluginNotFound('./plugins/nope.mjs', `no file or folder ${join(project, 'plugins', 'nope.mjs')}`, project, true));
    expect(a).to.contain("Fix the path: it is relative to the model file's folder");
    expect(b).to.contain('plugin "cjs-only" not found (got ').and.contain('has no "." entry for the conditions');
    expect(c).to.equal(m.pluginNotLoadable('not-a-plugin', `exports {answer} from ${join(root, 'node_modules', 'not-a-plugin', 'index.js')}`));
  });

  it('leaves entries of the wrong type to the schema, and --plugin style specs throw a PluginError from the working directory', async () => {
    const r = await checkModel(model([3], 'lif'), { registry: new Registry(), baseDir: project });
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.include(['/plugins/0', m.wrongType(3, ['string'])]);
    let err: unknown;
    try {
      await checkModel(model([], 'lif'), { registry: new Registry(), plugins: ['./nowhere.mjs'], pluginBase: project });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PluginError);
    expect((err as Error).message).to.equal(m.pluginNotFound('./nowhere.mjs', `no file or folder ${join(project, 'nowhere.mjs')}`, project, true, true));
    expect((err as Error).message).to.match(/^--plugin "\.\/nowhere\.mjs": not found, got no file or folder .*; expected a plugin module or package folder at that path\. Fix the path/);
  });

  it('imports each resolved module once per registry and leaves the spec hash alone', async () => {
    const registry = new Registry();
    const first = await loadPluginSpecs(['@acme/alif', '../models/plugins/local.mjs'], { from: project, registry });
    const second = await loadPluginSpecs(['@acme/alif'], { from: project, registry });
    expect([first.loaded, first.failures, second.loaded]).to.deep.equal([['@acme/alif', '../models/plugins/local.mjs'], [], ['@acme/alif']]);
    const spec = validateModelSync(model([], 'lif', {}), { registry: new Registry() });
    expect(specHash({ ...spec, plugins: ['@acme/alif'] })).to.equal(specHash(spec));
  });
});
