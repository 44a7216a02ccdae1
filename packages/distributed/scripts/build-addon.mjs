#!/usr/bin/env node
// Builds the MPI binding with node-gyp (build/Release/deepspike_mpi.node) when an MPI installation is
// found (scripts/mpi-flags.mjs: mpicc and mpi.h). Without MPI it prints why and exits 0: the build of
// the repository succeeds, single-process training is unchanged, and asking for distributed training
// says which packages to install.
//   node scripts/build-addon.mjs [--force]
// Skips the build when the addon is newer than its sources (unless --force).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mpiFlags } from './mpi-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'build', 'Release', 'deepspike_mpi.node');
const force = process.argv.includes('--force');

const flags = mpiFlags();
if (typeof flags === 'string') {
  console.log(`@deepspike/distributed: MPI binding not built (${flags}); distributed training is off. ` +
    'Install MPI (Debian/Ubuntu: apt-get install -y openmpi-bin libopenmpi-dev) and run `npm run build:addon -w @deepspike/distributed`.');
  process.exit(0);
}
const sources = ['binding.gyp', ...readdirSync(join(root, 'native')).map((f) => join('native', f)), join('scripts', 'mpi-flags.mjs')];
const newest = Math.max(...sources.map((f) => statSync(join(root, f)).mtimeMs));
if (!force && existsSync(addon) && statSync(addon).mtimeMs >= newest) {
  console.log('@deepspike/distributed: MPI binding up to date (build/Release/deepspike_mpi.node)');
  process.exit(0);
}
const candidates = [process.env.npm_config_node_gyp];
if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
if (npmRoot.status === 0) candidates.push(join(npmRoot.stdout.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
const gypJs = candidates.find((c) => c && existsSync(c));
const [cmd, args] = gypJs ? [process.execPath, [gypJs, 'rebuild']] : ['node-gyp', ['rebuild']];
const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
}
const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
if (r.status === 0) {
  console.log('@deepspike/distributed: built build/Release/deepspike_mpi.node');
  process.exit(0);
}
console.warn(`@deepspike/distributed: the MPI binding failed to build (${r.error ? r.error.message : `node-gyp exited with status ${r.status}`}); distributed training is off.`);
process.exit(0);
