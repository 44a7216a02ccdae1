import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = realpathSync(fileURLToPath(new URL('../../../', import.meta.url)));
const FIXTURE = fileURLToPath(new URL('./fixture/', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  keywords?: string[];
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  exports?: Record<string, unknown>;
  files?: string[];
  sideEffects?: unknown;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

/** Every publishable workspace package (not private) under packages/ and plugins/. */
function publishable(): { dir: string; pkg: Manifest }[] {
  const out: { dir: string; pkg: Manifest }[] = [];
  for (const base of ['packages', 'plugins']) {
    for (const name of readdirSync(join(ROOT, base)).sort()) {
      const file = join(ROOT, base, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      if (!pkg.private) out.push({ dir: join(base, name), pkg });
    }
  }
  return out;
}

/** Entry points of an exports map that lead to JavaScript without a `types` condition (data files such as schemas need none). */
function exportsWithoutTypes(exports: Record<string, unknown>): string[] {
  const js = (v: unknown): boolean => (typeof v === 'string' ? /\.[cm]?js$/.test(v) : typeof v === 'object' && v !== null && Object.values(v).some(js));
  return Object.entries(exports)
    .filter(([, v]) => js(v) && (typeof v !== 'object' || v === null || !('types' in v)))
    .map(([k]) => k);
}

describe('release check: every publishable package packs, installs outside the workspace, imports, type-checks and trains', function () {
  const packages = publishable();
  let work: string;
  const tarballs = new Map<string, string>();

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'deepspike-release-'));
  });
  after(() => {
    if (process.env.RELEASE_CHECK_KEEP) console.log(`release-check: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  });

  it('finds the packages to publish', () => {
    const names = packages.map((p) => p.pkg.name);
    expect(names).to.include.members(['@deepspike/core', '@deepspike/surrogate', '@deepspike/tdbn', '@deepspike/dsl', '@deepspike/codegen', '@deepspike/train', '@deepspike/datasets', '@deepspike/neuromorphic', 'deepspike', '@deepspike/nx']);
  });

  it('every package.json has complete metadata', () => {
    const problems: string[] = [];
    for (const { dir, pkg } of packages) {
      const miss = (what: string) => problems.push(`${dir}/package.json: ${what}`);
      if (!pkg.description || pkg.description.length < 20) miss('description missing or shorter than 20 characters');
      if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) miss('keywords missing');
      if (pkg.license !== 'Apache-2.0') miss(`license got ${JSON.stringify(pkg.license)}; expected "Apache-2.0"`);
      if (pkg.repository?.type !== 'git' || !pkg.repository.url || pkg.repository.directory !== dir) miss(`repository got ${JSON.stringify(pkg.repository)}; expected {type: "git", url, directory: "${dir}"}`);
      if (!pkg.exports || typeof pkg.exports !== 'object') miss('exports missing');
      else if (exportsWithoutTypes(pkg.exports).length > 0) miss(`exports without a "types" condition: ${exportsWithoutTypes(pkg.exports).join(', ')}`);
      if (!Array.isArray(pkg.files) || !pkg.files.includes('dist')) miss('files must list "dist"');
      if (pkg.sideEffects === undefined) miss('sideEffects missing');
      if (!pkg.engines?.node) miss('engines.node missing');
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('docs/dsl-reference.md is up to date with the schemas', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'tools/generate-dsl-docs.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
  });

  it('the DSL reference documents every property of every schema definition', () => {
    const doc = readFileSync(join(ROOT, 'docs/dsl-reference.md'), 'utf8');
    const missing: string[] = [];
    for (const file of readdirSync(join(ROOT, 'schemas')).filter((f) => f.endsWith('.schema.json'))) {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', file), 'utf8')) as { title?: string; properties?: object; $defs?: Record<string, { properties?: object }> };
      const defs: [string, { properties?: object }][] = [...(schema.properties ? [[schema.title ?? file, schema] as [string, { properties?: object }]] : []), ...Object.entries(schema.$defs ?? {})];
      for (const [name, def] of defs) {
        const start = doc.indexOf(`\n### ${name}\n`);
        if (start < 0) { missing.push(`${file}: section ${name}`); continue; }
        const end = doc.indexOf('\n### ', start + 1);
        const section = doc.slice(start, end < 0 ? undefined : end);
        for (const prop of Object.keys(def.properties ?? {})) if (!section.includes(`| \`${prop}\` |`)) missing.push(`${file}: ${name}.${prop}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('packs every package: dist JavaScript, declarations and declaration maps, no tests', function () {
    this.timeout(300_000);
    const packDir = join(work, 'tarballs');
    mkdirSync(packDir);
    const args = ['pack', '--json', '--pack-destination', packDir, '--ignore-scripts', ...packages.flatMap((p) => ['-w', p.dir])];
    const out = execFileSync(NPM, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    const packed = JSON.parse(out) as { name: string; filename: string; files: { path: string }[] }[];
    expect(packed.map((p) => p.name).sort()).to.deep.equal(packages.map((p) => p.pkg.name).sort());
    const problems: string[] = [];
    for (const p of packed) {
      tarballs.set(p.name, join(packDir, p.filename.replace(/^@/, '').replace(/\//g, '-')));
      const paths = p.files.map((f) => f.path);
      for (const need of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map']) if (!paths.includes(need)) problems.push(`${p.name}: ${need} missing from the tarball`);
      const tests = paths.filter((f) => /\.test\.[cm]?[jt]s$/.test(f) || f.startsWith('test/'));
      if (tests.length > 0) problems.push(`${p.name}: tests in the tarball: ${tests.slice(0, 3).join(', ')}`);
      const dts = paths.filter((f) => f.startsWith('dist/') && f.endsWith('.d.ts'));
      const withoutMap = dts.filter((f) => !paths.includes(`${f}.map`));
      if (withoutMap.length > 0) problems.push(`${p.name}: declarations without maps: ${withoutMap.slice(0, 3).join(', ')}`);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
    for (const file of tarballs.values()) expect(existsSync(file), file).to.equal(true);
  });

  it('installs the tarballs into a fresh project outside the workspace, imports them with node and trains one step', function () {
    this.timeout(600_000);
    expect(tarballs.size, 'the pack step must run first').to.be.greaterThan(0);
    const app = join(work, 'app');
    mkdirSync(app);
    const deps = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
    const tfjs = '4.22.0';
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'release-check-app', version: '0.0.0', private: true, type: 'module', dependencies: { ...deps, '@tensorflow/tfjs-core': tfjs }, overrides: deps }, null, 2),
    );
    // The registry cache is shared with the workspace; a fresh npm ci has filled it with every third-party dependency.
    const install = spawnSync(NPM, ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, encoding: 'utf8' });
    expect(install.status, `${install.stdout}\n${install.stderr}`).to.equal(0);

    // No workspace links: each package is a real folder inside the app.
    for (const name of tarballs.keys()) {
      const dir = join(app, 'node_modules', name);
      expect(lstatSync(dir).isSymbolicLink(), `${name} is a link`).to.equal(false);
      expect(realpathSync(dir).startsWith(realpathSync(app)), `${name} resolves outside the app`).to.equal(true);
    }

    copyFileSync(join(FIXTURE, 'smoke.mjs'), join(app, 'smoke.mjs'));
    const run = spawnSync(process.execPath, ['smoke.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.status, run.stderr).to.equal(0);
    const line = run.stdout.trim().split('\n').pop() as string;
    const r = JSON.parse(line) as {
      backend: string;
      resolved: { core: string; cli: string };
      exports: Record<string, string[] | number>;
      generatedClass: boolean;
      rectAtZero: number;
      steps: number;
      losses: number[];
    };
    expect(r.backend).to.equal('cpu');
    // dist, not src: the deepspike-source condition is not needed by a consumer.
    expect(relative(app, r.resolved.core)).to.equal(join('node_modules', '@deepspike', 'core', 'dist', 'index.js'));
    expect(relative(app, r.resolved.cli)).to.equal(join('node_modules', 'deepspike', 'dist', 'index.js'));
    expect(r.exports).to.deep.include({
      core: ['initBackend', 'registry', 'NeuronLayer', 'LIF'],
      tdbn: ['tdbn', 'TdBN'],
      datasets: ['createLoader'],
      dsl: ['validateModel', 'validateModelFile', 'specHash'],
      codegen: ['emitModel', 'buildModel'],
      train: ['train', 'evaluateModel'],
      neuromorphic: ['exportNIR', 'importNIR'],
    });
    expect(r.exports.surrogate as number).to.be.greaterThan(5);
    expect(r.exports.cli as number).to.be.greaterThan(50);
    expect(r.generatedClass).to.equal(true);
    expect(r.rectAtZero).to.equal(1);
    expect(r.steps).to.equal(1);
    expect(r.losses.length).to.be.greaterThan(0);
    for (const l of r.losses) expect(Number.isFinite(l) && l > 0, `loss ${l}`).to.equal(true);

    // The published binary runs and validates a model file.
    writeFileSync(join(app, 'tiny.snn.json'), JSON.stringify({ name: 'tiny', input: { shape: [4] }, timesteps: 2, layers: [{ type: 'linear', units: 3 }, { type: 'neuron' }, { type: 'linear', units: 2 }] }));
    const bin = spawnSync(process.execPath, [join(app, 'node_modules/deepspike/bin/deepspike.js'), 'validate', 'tiny.snn.json'], { cwd: app, encoding: 'utf8' });
    expect(bin.status, bin.stderr).to.equal(0);
    expect(bin.stdout).to.include('tiny.snn.json: valid');

    // The published cli ships its plugin template: scaffold a plugin and type-check it against the installed core.
    const init = spawnSync(process.execPath, [join(app, 'node_modules/deepspike/bin/deepspike.js'), 'plugin', 'init', '@acme/deepspike-alif', '--dir', 'scaffold'], { cwd: app, encoding: 'utf8' });
    expect(init.status, init.stderr).to.equal(0);
    writeFileSync(join(app, 'scaffold', 'tsconfig.check.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true, types: [] } }));
    const scaffoldTsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'scaffold', 'tsconfig.check.json')], { cwd: app, encoding: 'utf8' });
    expect(scaffoldTsc.status, scaffoldTsc.stdout).to.equal(0);
  });

  it('type-checks a TypeScript file against the published declarations, and catches a type error', function () {
    this.timeout(300_000);
    const app = join(work, 'app');
    expect(existsSync(join(app, 'node_modules')), 'the install step must run first').to.equal(true);
    copyFileSync(join(FIXTURE, 'typecheck.ts'), join(app, 'typecheck.ts'));
    copyFileSync(join(FIXTURE, 'type-error.ts'), join(app, 'type-error.ts'));
    const tsconfig = (files: string[]) => ({
      compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files,
    });
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig(['typecheck.ts'])));
    writeFileSync(join(app, 'tsconfig.error.json'), JSON.stringify(tsconfig(['type-error.ts'])));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const ok = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    expect(ok.status, ok.stdout).to.equal(0);
    const bad = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.error.json'], { cwd: app, encoding: 'utf8' });
    expect(bad.status).to.not.equal(0);
    expect(bad.stdout).to.match(/type-error\.ts\(3,14\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it('compiles the TypeScript snippets of README.md and docs/*.md against the installed packages (strict, skipLibCheck false)', function () {
    this.timeout(300_000);
    const app = join(work, 'app');
    expect(existsSync(join(app, 'node_modules')), 'the install step must run first').to.equal(true);
    const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
    const dir = join(app, 'snippets');
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    let fences = 0;
    for (const doc of docs) {
      // A page's fences compile as one module, in order (a later fence may use what an earlier one declares).
      const blocks = [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
      if (blocks.length === 0) continue;
      fences += blocks.length;
      const file = `${doc.replace(/[/.]/g, '_')}.ts`;
      writeFileSync(join(dir, file), `// ${doc}: its ${blocks.length} TypeScript fence(s)\n${blocks.join('\n')}\nexport {};\n`);
      files.push(file);
    }
    expect(files, 'pages with TypeScript fences').to.include.members(['docs_getting-started_md.ts', 'docs_plugin-authoring_md.ts']);
    // A consumer's default: every installed @types package (tfjs-core's declarations need @types/long), no skipLibCheck.
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false }, files }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout, `${fences} fences in ${files.join(', ')}`).to.equal('');
    expect(tsc.status).to.equal(0);
  });
});
