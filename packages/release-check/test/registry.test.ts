// Release through a real registry: publishes every package with changesets to a throwaway Verdaccio
// on localhost, then installs `deepspike` and a scaffolded plugin in an empty folder outside the
// workspace whose .npmrc points only at that registry (no overrides, no workspace links), and runs
// validate -> generate -> train (a few steps) -> evaluate with the installed binary.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = realpathSync(fileURLToPath(new URL('../../../', import.meta.url)));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const VERDACCIO = join(ROOT, 'node_modules/verdaccio/bin/verdaccio');
const CHANGESET = join(ROOT, 'node_modules/@changesets/cli/bin.js');
/** Folders never copied into the release copy (install state, caches, build outputs of the addon, runs). */
const SKIP = new Set(['node_modules', '.git', '.nx', 'runs', 'build', 'coverage']);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '', ...env } });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  expect(r.status, `${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`).to.equal(0);
  return r.stdout;
}

/** npm's environment for the outside folder: its own .npmrc only (no user or global config from the machine). */
function consumerEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NODE_OPTIONS: '', npm_config_userconfig: join(dir, '.npmrc'), npm_config_globalconfig: join(dir, '.npmrc-global'), npm_config_update_notifier: 'false' };
}

describe('release through a registry: changeset publish to Verdaccio, install outside the workspace, validate/generate/train/evaluate', function () {
  let work: string;
  let server: ChildProcess | undefined;
  let registry = '';
  let version = '';
  let published: string[] = [];
  /** dist.integrity the registry serves for each published name@version. */
  const integrity = new Map<string, string>();
  let skipReason: string | undefined;

  before(async function () {
    this.timeout(60_000);
    if (!existsSync(VERDACCIO)) skipReason = `verdaccio is not installed at ${VERDACCIO} (run npm ci)`;
    else if (!existsSync(join(ROOT, 'packages/cli/dist/index.js'))) skipReason = 'packages are not built (run npm run build first)';
    else if (process.env.DEEPSPIKE_SKIP_REGISTRY === '1') skipReason = 'DEEPSPIKE_SKIP_REGISTRY=1';
    if (skipReason) {
      console.log(`registry release check skipped: ${skipReason}`);
      this.skip();
    }
    work = mkdtempSync(join(tmpdir(), 'deepspike-registry-'));
    const upstream = run(NPM, ['config', 'get', 'registry'], ROOT).stdout.trim();
    const port = await freePort();
    registry = `http://127.0.0.1:${port}/`;
    const v = join(work, 'verdaccio');
    mkdirSync(v);
    // Our own packages are served only from this registry's storage (never proxied); third-party
    // packages go through to the registry npm is configured with.
    writeFileSync(
      join(v, 'config.yaml'),
      [
        `storage: ${join(v, 'storage')}`,
        'auth:',
        '  htpasswd:',
        `    file: ${join(v, 'htpasswd')}`,
        '    max_users: 10',
        'uplinks:',
        '  upstream:',
        `    url: ${upstream}`,
        '    timeout: 60s',
        'packages:',
        "  'deepspike':",
        '    access: $all',
        '    publish: $authenticated',
        "  '@deepspike/*':",
        '    access: $all',
        '    publish: $authenticated',
        "  '**':",
        '    access: $all',
        '    proxy: upstream',
        'log: { type: stdout, format: pretty, level: warn }',
        '',
      ].join('\n'),
    );
    server = spawn(process.execPath, [VERDACCIO, '--config', join(v, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    server.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${registry}-/ping`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (i > 100 || server.exitCode !== null) throw new Error(`verdaccio did not start on ${registry}:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(() => {
    server?.kill();
    if (!work) return;
    if (process.env.RELEASE_CHECK_KEEP) console.log(`registry release check: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  });

  it('changeset version + changeset publish put every publishable package on the registry', async function () {
    this.timeout(300_000);
    // A copy of the repository, so the working tree's versions and changesets are not touched.
    const copy = join(work, 'repo');
    cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(src.split(/[\\/]/).pop() as string) });
    const user = await fetch(`${registry}-/user/org.couchdb.user:release`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release', password: 'release-check' }),
    });
    expect(user.status, await user.clone().text()).to.equal(201);
    const { token } = (await user.json()) as { token: string };
    const host = registry.replace(/^http:/, '');
    writeFileSync(join(copy, '.npmrc'), `registry=${registry}\n${host}:_authToken=${token}\n`);
    const env = { npm_config_registry: registry, npm_config_userconfig: join(copy, '.npmrc') };
    ok(run(process.execPath, [CHANGESET, 'version'], copy, env), 'changeset version');
    version = (JSON.parse(readFileSync(join(copy, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
    const pub = run(process.execPath, [CHANGESET, 'publish', '--no-git-tag'], copy, env);
    ok(pub, 'changeset publish');
    const expected: string[] = [];
    for (const base of ['packages', 'plugins']) {
      for (const name of readdirSync(join(copy, base))) {
        const file = join(copy, base, name, 'package.json');
        if (!existsSync(file)) continue;
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string; private?: boolean };
        if (!pkg.private) expected.push(`${pkg.name}@${pkg.version}`);
      }
    }
    published = [];
    for (const spec of expected) {
      const [name, v] = [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)];
      const r = await fetch(`${registry}${name.replace('/', '%2f')}`);
      const meta = r.ok ? ((await r.json()) as { versions?: Record<string, { dist: { integrity: string } }> }) : {};
      const served = meta.versions?.[v];
      if (served) {
        published.push(spec);
        integrity.set(spec, served.dist.integrity);
      }
    }
    expect(published.sort()).to.deep.equal(expected.sort());
    expect(expected.length).to.be.greaterThan(9);
  });

  it('npm install deepspike in an empty outside folder, then validate -> generate -> train --max-steps -> evaluate', function () {
    this.timeout(600_000);
    expect(published.length, 'the publish step must run first').to.be.greaterThan(0);
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, '.npmrc'), `registry=${registry}\n`);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'registry-app', version: '0.0.0', private: true, type: 'module' }, null, 2));
    const env = consumerEnv(app);
    // npm 11 runs no dependency install scripts unless allowed: the native addon is not built and
    // the backend falls back to wasm/cpu, saying why (docs/releasing.md).
    ok(run(NPM, ['install', `deepspike@${version}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app, env), 'npm install deepspike');
    // Every published package is installed as a real folder from this registry: the lockfile's
    // integrity of each is the one the registry serves (npm leaves out `resolved` for the default registry).
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string; link?: boolean }> };
    let installed = 0;
    for (const spec of published) {
      const [name, v] = [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)];
      const entry = lock.packages[`node_modules/${name}`];
      if (!entry) continue;
      installed++;
      expect(entry.link, `${name} is a link`).to.not.equal(true);
      expect(entry.version, name).to.equal(v);
      expect(entry.integrity, name).to.equal(integrity.get(spec));
    }
    expect(installed, 'deepspike and the @deepspike packages it depends on').to.be.greaterThan(8);

    const bin = join(app, 'node_modules/.bin/deepspike');
    const model = { name: 'tiny-mlp', input: { shape: [28, 28, 1] }, timesteps: 2, layers: [{ type: 'flatten' }, { type: 'linear', units: 16 }, { type: 'neuron' }, { type: 'linear', units: 10 }], training: { dataset: { name: 'mnist' }, batchSize: 16, epochs: 1, optimizer: { name: 'adam', lr: 0.01 }, seed: 1 } };
    writeFileSync(join(app, 'tiny.snn.json'), JSON.stringify(model, null, 2));
    expect(ok(run(bin, ['validate', 'tiny.snn.json'], app, env), 'deepspike validate')).to.include('tiny.snn.json: valid');
    ok(run(bin, ['generate', 'tiny.snn.json'], app, env), 'deepspike generate');
    const generated = readdirSync(app).find((f) => f.endsWith('.generated.ts'));
    expect(generated, readdirSync(app).join(', ')).to.be.a('string');
    const train = run(bin, ['train', 'tiny.snn.json', '--max-steps', '3', '--out', 'run', '--no-progress'], app, env);
    const trainOut = ok(train, 'deepspike train');
    const backendLine = `${trainOut}\n${train.stderr}`.split('\n').find((l) => l.startsWith('deepspike: backend')) ?? '';
    // npm 11 runs the addon's install script here (node-gyp); where it cannot build (no compiler or
    // no Node headers offline) the backend falls back to wasm/cpu and the line says why.
    expect(backendLine).to.match(/^deepspike: backend (deepspike-native|(wasm|cpu) \(skipped .*deepspike-native: .+\))/);
    const trained = /train: test accuracy ([0-9.]+)% \((\d+) samples/.exec(trainOut);
    expect(trained, trainOut).to.not.equal(null);
    expect(trainOut).to.include('after 3 steps');
    const checkpoint = join(app, 'run/checkpoint/step-00000003');
    expect(existsSync(checkpoint), readdirSync(join(app, 'run')).join(', ')).to.equal(true);
    const evalOut = ok(run(bin, ['evaluate', 'tiny.snn.json', '--checkpoint', checkpoint], app, env), 'deepspike evaluate');
    const evaluated = /evaluate: test accuracy ([0-9.]+)% \((\d+) samples/.exec(evalOut);
    expect(evaluated, evalOut).to.not.equal(null);
    // The checkpoint evaluated by the installed binary gives the accuracy the training run reported.
    expect((evaluated as RegExpExecArray).slice(1)).to.deep.equal((trained as RegExpExecArray).slice(1));
  });

  it('a plugin scaffolded by the installed `deepspike plugin init` installs its @deepspike dependencies from the registry (no overrides) and passes its tests', function () {
    this.timeout(600_000);
    const app = join(work, 'app');
    expect(existsSync(join(app, 'node_modules/.bin/deepspike')), 'the install step must run first').to.equal(true);
    const env = consumerEnv(app);
    ok(run(join(app, 'node_modules/.bin/deepspike'), ['plugin', 'init', '@acme/deepspike-alif', '--dir', join(work, 'plugin')], app, env), 'deepspike plugin init');
    const plugin = join(work, 'plugin');
    writeFileSync(join(plugin, '.npmrc'), `registry=${registry}\n`);
    const pkg = JSON.parse(readFileSync(join(plugin, 'package.json'), 'utf8')) as { overrides?: unknown; devDependencies: Record<string, string> };
    expect(pkg.overrides).to.equal(undefined);
    expect(pkg.devDependencies['@deepspike/core']).to.equal(version);
    const penv = consumerEnv(plugin);
    ok(run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], plugin, penv), 'npm install (plugin)');
    expect((JSON.parse(readFileSync(join(plugin, 'node_modules/@deepspike/core/package.json'), 'utf8')) as { version: string }).version).to.equal(version);
    const test = ok(run(NPM, ['test'], plugin, penv), 'npm test (plugin)');
    expect(test).to.match(/[1-9]\d* passing/);
  });
});
