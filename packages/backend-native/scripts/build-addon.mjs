#!/usr/bin/env node
// Builds the native addon with node-gyp (build/Release/deepspike_native.node).
//   node scripts/build-addon.mjs [--optional] [--force]
// --optional: a failed build (no compiler, no headers) prints the reason and exits 0, so
//   `npm install`/`npm run build` still succeed and @deepspike/core falls back to wasm.
// Skips the build when the addon is newer than every source file (unless --force).
// node-gyp is npm's own (npm_config_node_gyp, set when run from an npm script), else a
// node-gyp on PATH; its node headers come from npm's configuration (nodedir) or its cache.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const force = process.argv.includes('--force');
const addon = join(root, 'build', 'Release', 'deepspike_native.node');

function newestSource() {
  const files = ['binding.gyp', ...readdirSync(join(root, 'native')).map((f) => join('native', f))];
  return Math.max(...files.map((f) => statSync(join(root, f)).mtimeMs));
}

if (!force && existsSync(addon) && statSync(addon).mtimeMs >= newestSource()) {
  console.log('@deepspike/backend-native: addon up to date (build/Release/deepspike_native.node)');
  process.exit(0);
}

function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  if (npmRoot.status === 0) candidates.push(join(npmRoot.stdout.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && existsSync(c));
}
const gypJs = findNodeGyp();
const [cmd, args] = gypJs ? [process.execPath, [gypJs, 'rebuild']] : ['node-gyp', ['rebuild']];
// Node headers: npm's nodedir setting when set (npm passes it to scripts as npm_config_nodedir),
// else the headers installed beside this node binary, else node-gyp's cache/download.
const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const conf = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' });
  const fromNpm = conf.status === 0 ? conf.stdout.trim() : '';
  const prefix = dirname(dirname(process.execPath));
  if (fromNpm && fromNpm !== 'undefined' && fromNpm !== 'null') env.npm_config_nodedir = fromNpm;
  else if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
}
const jobs = process.env.JOBS ?? 'max';
const r = spawnSync(cmd, [...args, `--jobs=${jobs}`], { cwd: root, stdio: 'inherit', env });
if (r.status === 0) {
  console.log('@deepspike/backend-native: built build/Release/deepspike_native.node');
  process.exit(0);
}
const reason = r.error ? r.error.message : `node-gyp exited with status ${r.status}`;
const msg =
  `@deepspike/backend-native: the native addon was not built (${reason}); ` +
  'DeepSpike will use the wasm backend. Install a C++ toolchain (g++, make, python3) and run ' +
  '`npm run build:native -w @deepspike/backend-native` to enable deepspike-native.';
if (optional) {
  console.warn(msg);
  process.exit(0);
}
console.error(msg);
process.exit(1);
