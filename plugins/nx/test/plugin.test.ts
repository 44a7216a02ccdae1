import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateNodesContextV2 } from '@nx/devkit';
import { createNodesV2, DEEPSPIKE_TARGETS, DuplicateModelError, MODEL_FILE_GLOB } from '@deepspike/nx';

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
    expect(gen.inputs).to.deep.equal([
      '{projectRoot}/mnist-tdbn.snn.json',
      '{workspaceRoot}/schemas/**/*',
      '{workspaceRoot}/packages/codegen/src/**/*',
      '{workspaceRoot}/packages/codegen/package.json',
    ]);
    expect(gen.outputs).to.deep.equal(['{projectRoot}/mnist-tdbn.generated.ts']);
    expect(gen.options).to.deep.equal({ command: 'npx deepspike generate examples/mnist-tdbn/mnist-tdbn.snn.json', cwd: '{workspaceRoot}', forwardAllArgs: true });
    for (const t of ['train', 'evaluate', 'map', 'export-nir', 'bench'] as const) {
      expect(project.targets![t]!.options.command).to.equal(`npx deepspike ${t} examples/mnist-tdbn/mnist-tdbn.snn.json`);
      expect(project.targets![t]!.options.forwardAllArgs, `${t} passes extra args through`).to.equal(true);
      expect(project.targets![t]!.cache).to.equal(false);
    }
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
