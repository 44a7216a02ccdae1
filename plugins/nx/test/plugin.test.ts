import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CreateNodesContextV2 } from '@nx/devkit';
import { createNodesV2, DEEPSPIKE_TARGETS, DuplicateModelError, MODEL_FILE_GLOB, modelDependencies, modelTargets, pluginInputs } from '@deepspike/nx';

/** Writes files (path -> content) under a fresh temporary workspace root. */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'deepspike-nx-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

const context = (workspaceRoot: string): CreateNodesContextV2 => ({ workspaceRoot, nxJsonConfiguration: {} });
const [glob, createNodes] = createNodesV2;

describe('@deepspike/nx createNodesV2', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('matches model files', () => {
    expect(glob).to.equal(MODEL_FILE_GLOB);
    expect(glob).to.equal('**/*.snn.json');
  });

  it('infers one project per model folder, named after the file, with the six targets', async () => {
    const root = workspace({
      'examples/mnist-tdbn/mnist-tdbn.snn.json': JSON.stringify({ name: 'mnist-tdbn' }),
      'models/deep/resnet19.snn.json': JSON.stringify({ name: 'resnet19-cifar10' }),
    });
    roots.push(root);
    const files = ['examples/mnist-tdbn/mnist-tdbn.snn.json', 'models/deep/resnet19.snn.json'];
    const results = await createNodes(files, undefined, context(root));
    expect(results.map(([f]) => f)).to.deep.equal(files);
    const [, mnist] = results[0]!;
    const project = mnist.projects!['examples/mnist-tdbn']!;
    expect(project.name).to.equal('mnist-tdbn');
    expect(project.root).to.equal('examples/mnist-tdbn');
    expect(Object.keys(project.targets!)).to.deep.equal([...DEEPSPIKE_TARGETS]);
    const gen = project.targets!.generate!;
    expect(gen.executor).to.equal('nx:run-commands');
    expect(gen.cache).to.equal(true);
    // no lock file and no workspace CLI in this workspace: the model file and the schemas only
    expect(gen.inputs).to.deep.equal(['{projectRoot}/mnist-tdbn.snn.json', '{workspaceRoot}/schemas/**/*']);
    expect(project.implicitDependencies, 'the CLI is not a package of this workspace').to.deep.equal([]);
    expect(gen.outputs).to.deep.equal(['{projectRoot}/mnist-tdbn.generated.ts']);
    expect(gen.options).to.deep.equal({ command: 'npx deepspike generate examples/mnist-tdbn/mnist-tdbn.snn.json', cwd: '{workspaceRoot}', forwardAllArgs: true });
    for (const t of ['train', 'evaluate', 'map', 'export-nir', 'bench'] as const) {
      expect(project.targets![t]!.options.command).to.equal(`npx deepspike ${t} examples/mnist-tdbn/mnist-tdbn.snn.json`);
      expect(project.targets![t]!.options.forwardAllArgs, `${t} passes extra args through`).to.equal(true);
      expect(project.targets![t]!.cache).to.equal(false);
    }
    for (const t of DEEPSPIKE_TARGETS) expect(project.targets![t]!.dependsOn, `${t} builds what it runs first`).to.deep.equal(['^build']);
    // the generated file is named after the spec's name, the project after the file
    const [, resnet] = results[1]!;
    const r = resnet.projects!['models/deep']!;
    expect(r.name).to.equal('resnet19');
    expect(r.targets!.generate!.outputs).to.deep.equal(['{projectRoot}/resnet19-cifar10.generated.ts']);
  });

  it('honours the cli and targetNames options', async () => {
    const root = workspace({ 'm/a.snn.json': '{"name":"a"}' });
    roots.push(root);
    const [[, r]] = (await createNodes(['m/a.snn.json'], { cli: 'node cli.js', targetNames: { train: 'fit' } }, context(root))) as [[string, { projects: Record<string, { targets: Record<string, { options: { command: string } }> }> }]];
    expect(Object.keys(r.projects.m!.targets)).to.include('fit').and.not.include('train');
    expect(r.projects.m!.targets.fit!.options.command).to.equal('node cli.js train m/a.snn.json');
  });

  it('refuses two model files in one folder with a clear error', async () => {
    const root = workspace({ 'examples/x/a.snn.json': '{}', 'examples/x/b.snn.json': '{}', 'examples/y/c.snn.json': '{}' });
    roots.push(root);
    let err: unknown;
    try {
      await createNodes(['examples/x/a.snn.json', 'examples/y/c.snn.json'], undefined, context(root));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(DuplicateModelError);
    expect((err as Error).message).to.equal(
      '@deepspike/nx: the folder "examples/x" holds 2 model files, got "examples/x/a.snn.json", "examples/x/b.snn.json"; ' +
        'expected one *.snn.json per folder (each folder is one Nx project named after its model file). Move all but one into folders of their own.',
    );
  });

  it('a model file at the workspace root is a project rooted at "."', async () => {
    const root = workspace({ 'solo.snn.json': '{"name":"solo"}' });
    roots.push(root);
    const [[, r]] = (await createNodes(['solo.snn.json'], undefined, context(root))) as [[string, { projects: Record<string, { name: string; targets: Record<string, { options: { command: string } }> }> }]];
    expect(r.projects['.']!.name).to.equal('solo');
    expect(r.projects['.']!.targets.train!.options.command).to.equal('npx deepspike train solo.snn.json');
  });
});

describe('@deepspike/nx generate inputs: the plugins a model file names', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** A workspace with a linked workspace plugin (src/), one without src/, a registry install, local path plugins. */
  function pluginWorkspace(plugins: unknown[]): string {
    const root = workspace({
      'package-lock.json': '{}',
      'packages/alif/package.json': JSON.stringify({ name: '@acme/alif', exports: { '.': './dist/index.js', './register': './dist/register.js' } }),
      'packages/alif/src/index.ts': 'export {};',
      'packages/plain/package.json': JSON.stringify({ name: '@acme/plain', main: 'index.js' }),
      'packages/plain/index.js': 'export {};',
      'node_modules/from-registry/package.json': JSON.stringify({ name: 'from-registry', main: 'index.js' }),
      'models/a/a.snn.json': JSON.stringify({ name: 'a', plugins }),
      'models/a/local/index.js': 'export {};',
      'models/a/one.js': 'export {};',
    });
    roots.push(root);
    mkdirSync(join(root, 'node_modules/@acme'), { recursive: true });
    // npm workspaces link the packages into node_modules
    symlinkSync(join(root, 'packages/alif'), join(root, 'node_modules/@acme/alif'), 'dir');
    symlinkSync(join(root, 'packages/plain'), join(root, 'node_modules/@acme/plain'), 'dir');
    return root;
  }

  const generateInputs = async (root: string): Promise<unknown[]> => {
    const [[, r]] = (await createNodes(['models/a/a.snn.json'], undefined, context(root))) as [[string, { projects: Record<string, { targets: Record<string, { inputs: unknown[] }> }> }]];
    return r.projects['models/a']!.targets.generate!.inputs;
  };
  // the CLI is installed from a registry here (not a workspace package): the lock file stands for its version
  const BASE = ['{projectRoot}/a.snn.json', '{workspaceRoot}/schemas/**/*', '{workspaceRoot}/package-lock.json'];

  it('adds a workspace package\'s src/ and package.json, a folder without src/, local paths, and the lock file for registry packages', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'deepspike-nx-outside-'));
    roots.push(outside);
    const root = pluginWorkspace(['@acme/alif/register', '@acme/plain', './local', './one.js', 'from-registry', 'not-installed-yet', outside, 42, '@acme/alif']);
    expect(await generateInputs(root)).to.deep.equal([
      ...BASE,
      '{workspaceRoot}/packages/alif/src/**/*',
      '{workspaceRoot}/packages/alif/package.json',
      '{workspaceRoot}/packages/plain/**/*',
      '{workspaceRoot}/models/a/local/**/*',
      '{workspaceRoot}/models/a/one.js',
      // plugins installed from a registry or not installed: the lock file, already in BASE (one input)
    ]);
    expect(pluginInputs(outside, join(root, 'models/a'), root), 'Nx cannot hash a folder outside the workspace').to.deep.equal([]);
  });

  it('implicit dependencies: the workspace CLI and plugins Nx has as projects (workspaces globs or project.json), not linked folders outside them', async () => {
    const root = pluginWorkspace(['@acme/alif/register', '@acme/plain', 'from-registry', './local']);
    const deps = async (): Promise<unknown> => {
      const [[, r]] = (await createNodes(['models/a/a.snn.json'], undefined, context(root))) as [[string, { projects: Record<string, { implicitDependencies: string[] }> }]];
      return r.projects['models/a']!.implicitDependencies;
    };
    expect(await deps(), 'no root workspaces and no project.json: Nx has no such projects').to.deep.equal([]);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'w', workspaces: ['./packages/*', '!packages/plain'] }));
    expect(await deps()).to.deep.equal(['@acme/alif']);
    writeFileSync(join(root, 'packages/plain/project.json'), JSON.stringify({ name: 'plain-project' }));
    writeFileSync(join(root, 'packages/plain/package.json'), JSON.stringify({ name: '@acme/plain', nx: { name: 'plain-project' } }));
    expect(await deps(), 'a project.json makes a project; nx.name names it').to.deep.equal(['@acme/alif', 'plain-project']);
  });

  it('a model file without plugins, or with an unparsable body, keeps the base inputs', async () => {
    const root = pluginWorkspace([]);
    expect(await generateInputs(root)).to.deep.equal(BASE);
    writeFileSync(join(root, 'models/a/a.snn.json'), '{"plugins": ["@acme/alif"');
    expect(await generateInputs(root)).to.deep.equal(BASE);
  });

  it('reads the model file plugins of the repository example (the adaptive-LIF toy model names its workspace plugin)', async () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const inputs = modelTargets('examples/adaptive-lif-toy/adaptive-lif-toy.snn.json', 'examples/adaptive-lif-toy', repo).generate!.inputs;
    expect(inputs).to.include.members(['{workspaceRoot}/examples/plugin-adaptive-lif/src/**/*', '{workspaceRoot}/examples/plugin-adaptive-lif/package.json']);
    // this repository's CLI is a workspace package: its source and everything it depends on are inputs
    const nxJson = JSON.parse(readFileSync(join(repo, 'nx.json'), 'utf8')) as { namedInputs: Record<string, unknown> };
    expect(modelTargets('examples/mnist-tdbn/mnist-tdbn.snn.json', 'examples/mnist-tdbn', repo, {}, nxJson.namedInputs).generate!.inputs).to.deep.equal([
      '{projectRoot}/mnist-tdbn.snn.json',
      '{workspaceRoot}/schemas/**/*',
      '^production',
    ]);
    expect(modelDependencies('examples/mnist-tdbn/mnist-tdbn.snn.json', 'examples/mnist-tdbn', repo)).to.deep.equal(['deepspike']);
    expect(modelDependencies('examples/adaptive-lif-toy/adaptive-lif-toy.snn.json', 'examples/adaptive-lif-toy', repo)).to.deep.equal([
      'deepspike',
      '@deepspike-examples/plugin-adaptive-lif',
    ]);
  });

  it('Nx itself re-runs a cached generate after a plugin source changes, and replays it from the cache before', function () {
    this.timeout(120_000);
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const nxPackage = dirname(createRequire(join(repo, 'package.json')).resolve('nx/package.json'));
    const root = workspace({
      'package.json': JSON.stringify({ name: 'w', private: true }),
      'package-lock.json': JSON.stringify({ name: 'w', lockfileVersion: 3, requires: true, packages: { '': { name: 'w' } } }),
      '.gitignore': 'node_modules\n.nx\n',
      // this package's source, loaded by the Nx plugin worker through tsx (NODE_OPTIONS below)
      'nx-plugin.mjs': `export * from ${JSON.stringify(join(repo, 'plugins/nx/src/index.ts'))};`,
      'nx.json': JSON.stringify({ plugins: [{ plugin: './nx-plugin.mjs', options: { cli: 'node gen.mjs' } }] }),
      // stands for `deepspike generate`: writes the output and counts its runs (outside the workspace)
      'gen.mjs': "import { appendFileSync, writeFileSync } from 'node:fs';\nwriteFileSync('models/a/a.generated.ts', 'export {};\\n');\nappendFileSync(process.env.GEN_LOG, 'run\\n');\n",
      'packages/alif/package.json': JSON.stringify({ name: '@acme/alif' }),
      'packages/alif/src/index.ts': 'export const v = 1;\n',
      'packages/alif/README.md': '# alif\n',
      'models/a/a.snn.json': JSON.stringify({ name: 'a', plugins: ['@acme/alif'] }),
    });
    roots.push(root);
    mkdirSync(join(root, 'node_modules/@acme'), { recursive: true });
    symlinkSync(nxPackage, join(root, 'node_modules/nx'), 'dir');
    symlinkSync(join(root, 'packages/alif'), join(root, 'node_modules/@acme/alif'), 'dir');
    const log = join(mkdtempSync(join(tmpdir(), 'deepspike-nx-log-')), 'runs.log');
    roots.push(dirname(log));
    writeFileSync(log, '');
    const tsx = join(repo, 'node_modules/tsx/dist/loader.mjs');
    // The outer Nx run (npm test under CI passes --skip-nx-cache) exports NX_* settings such as
    // NX_SKIP_NX_CACHE to its tasks: they must not reach the Nx under test.
    const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NX_')));
    const env = { ...outer, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', GEN_LOG: log, NODE_OPTIONS: `--import ${pathToFileURL(tsx).href} --conditions deepspike-source` };
    const runs = (): number => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    const generate = (): number => {
      execFileSync(process.execPath, [join(nxPackage, 'dist/bin/nx.js'), 'run', 'a:generate', '--outputStyle=stream'], { cwd: root, env, stdio: 'pipe' });
      return runs();
    };
    expect(generate(), 'first run executes').to.equal(1);
    expect(generate(), 'unchanged: replayed from the cache').to.equal(1);
    appendFileSync(join(root, 'packages/alif/README.md'), 'not a source\n');
    expect(generate(), 'a plugin file outside src/ and package.json: still cached').to.equal(1);
    appendFileSync(join(root, 'packages/alif/src/index.ts'), 'export const w = 2;\n');
    expect(generate(), 'the plugin source changed: runs again').to.equal(2);
  });
});

describe('@deepspike/nx in Nx\'s project and task graphs: a model runs the current source of the CLI and its packages', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  /**
   * A workspace shaped like this repository: a `deepspike` CLI package depending on `@deepspike/dsl`
   * (both npm workspace links), a model folder without package.json, and Nx loading this plugin's source.
   */
  function graphWorkspace(): { root: string; nx: (...args: string[]) => string; runs: () => number } {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const nxPackage = dirname(createRequire(join(repo, 'package.json')).resolve('nx/package.json'));
    const build = (name: string): string => JSON.stringify({ name, version: '0.1.0', scripts: { build: 'node -e ""' } });
    const root = workspace({
      'package.json': JSON.stringify({ name: 'w', private: true, workspaces: ['packages/*'] }),
      'package-lock.json': JSON.stringify({ name: 'w', lockfileVersion: 3, requires: true, packages: { '': { name: 'w' } } }),
      '.gitignore': 'node_modules\n.nx\n',
      'nx-plugin.mjs': `export * from ${JSON.stringify(join(repo, 'plugins/nx/src/index.ts'))};`,
      'nx.json': JSON.stringify({
        plugins: [{ plugin: './nx-plugin.mjs', options: { cli: 'node gen.mjs' } }],
        namedInputs: { default: ['{projectRoot}/**/*'], production: ['default', '!{projectRoot}/test/**/*'] },
        targetDefaults: { build: { dependsOn: ['^build'] } },
      }),
      'gen.mjs': "import { appendFileSync, writeFileSync } from 'node:fs';\nwriteFileSync('models/a/a.generated.ts', 'export {};\\n');\nappendFileSync(process.env.GEN_LOG, 'run\\n');\n",
      'packages/cli/package.json': JSON.stringify({ ...JSON.parse(build('deepspike')), dependencies: { '@deepspike/dsl': '0.1.0' } }),
      'packages/cli/src/index.ts': 'export {};\n',
      'packages/dsl/package.json': build('@deepspike/dsl'),
      'packages/dsl/src/index.ts': 'export const v = 1;\n',
      'packages/dsl/test/index.test.ts': 'export {};\n',
      'models/a/a.snn.json': JSON.stringify({ name: 'a' }),
    });
    roots.push(root);
    mkdirSync(join(root, 'node_modules/@deepspike'), { recursive: true });
    symlinkSync(nxPackage, join(root, 'node_modules/nx'), 'dir');
    symlinkSync(join(root, 'packages/cli'), join(root, 'node_modules/deepspike'), 'dir');
    symlinkSync(join(root, 'packages/dsl'), join(root, 'node_modules/@deepspike/dsl'), 'dir');
    const log = join(mkdtempSync(join(tmpdir(), 'deepspike-nx-log-')), 'runs.log');
    roots.push(dirname(log));
    writeFileSync(log, '');
    const tsx = join(repo, 'node_modules/tsx/dist/loader.mjs');
    const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NX_')));
    const env = { ...outer, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', GEN_LOG: log, NODE_OPTIONS: `--import ${pathToFileURL(tsx).href} --conditions deepspike-source` };
    const nx = (...args: string[]): string => execFileSync(process.execPath, [join(nxPackage, 'dist/bin/nx.js'), ...args], { cwd: root, env, stdio: 'pipe', encoding: 'utf8' });
    return { root, nx, runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
  }

  it('the model project depends on the CLI, and train/evaluate/map/bench wait for the CLI\'s build and its dependencies\' builds', function () {
    this.timeout(120_000);
    const { root, nx } = graphWorkspace();
    nx('graph', '--file=project-graph.json');
    const graph = JSON.parse(readFileSync(join(root, 'project-graph.json'), 'utf8')) as { graph: { dependencies: Record<string, { target: string; type: string }[]> } };
    expect(graph.graph.dependencies.a!.map((d) => [d.target, d.type])).to.deep.equal([['deepspike', 'implicit']]);
    expect(graph.graph.dependencies.deepspike!.map((d) => d.target)).to.deep.equal(['@deepspike/dsl']);
    for (const target of ['train', 'evaluate', 'map', 'export-nir', 'bench', 'generate']) {
      nx('run', `a:${target}`, `--graph=${target}-tasks.json`);
      const tasks = JSON.parse(readFileSync(join(root, `${target}-tasks.json`), 'utf8')) as { tasks: { dependencies: Record<string, string[] | { id: string }[]> } };
      const ids = (task: string): string[] => (tasks.tasks.dependencies[task] ?? []).map((d) => (typeof d === 'string' ? d : d.id));
      expect(ids(`a:${target}`), `a:${target}`).to.deep.equal(['deepspike:build']);
      expect(ids('deepspike:build'), 'the CLI builds after its own dependencies').to.deep.equal(['@deepspike/dsl:build']);
    }
  });

  it('a cached generate re-runs when the source of a package the CLI depends on changes (the DSL), not its tests', function () {
    this.timeout(120_000);
    const { root, nx, runs } = graphWorkspace();
    const generate = (): number => {
      nx('run', 'a:generate', '--outputStyle=stream');
      return runs();
    };
    expect(generate(), 'first run executes').to.equal(1);
    expect(generate(), 'unchanged: replayed from the cache').to.equal(1);
    appendFileSync(join(root, 'packages/dsl/test/index.test.ts'), 'export const t = 1;\n');
    expect(generate(), 'a DSL test file is not a production input: still cached').to.equal(1);
    appendFileSync(join(root, 'packages/dsl/src/index.ts'), 'export const w = 2;\n');
    expect(generate(), 'the DSL source changed: runs again').to.equal(2);
  });
});
