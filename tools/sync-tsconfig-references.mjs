#!/usr/bin/env node
// Keeps TypeScript project references in step with package.json dependencies, so that adding a
// package is one folder: every workspace package's tsconfig.json references the workspace packages
// it depends on, and the root solution tsconfig.json references every package.
//   node tools/sync-tsconfig-references.mjs          write the references
//   node tools/sync-tsconfig-references.mjs --check  exit 1 when a file is stale (CI)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Workspace package folders holding both package.json and tsconfig.json. */
function workspaceDirs() {
  const dirs = [];
  for (const pattern of rootPkg.workspaces) {
    if (!pattern.endsWith('/*')) throw new Error(`sync-tsconfig-references: unsupported workspace pattern "${pattern}"; expected "<folder>/*".`);
    const base = join(root, pattern.slice(0, -2));
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const dir = join(base, entry.name);
      if (entry.isDirectory() && existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) dirs.push(dir);
    }
  }
  return dirs.sort();
}

const packages = new Map();
for (const dir of workspaceDirs()) packages.set(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, dir);

const stale = [];
function update(file, mutate) {
  const before = readFileSync(file, 'utf8');
  const json = JSON.parse(before);
  mutate(json);
  const after = `${JSON.stringify(json, null, 2)}\n`;
  if (after === before) return;
  stale.push(relative(root, file));
  if (!check) writeFileSync(file, after);
}

for (const [, dir] of packages) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const deps = new Set(
    ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].flatMap((k) => Object.keys(pkg[k] ?? {})),
  );
  const refs = [...deps].filter((d) => packages.has(d)).map((d) => ({ path: relative(dir, packages.get(d)) })).sort((a, b) => a.path.localeCompare(b.path));
  update(join(dir, 'tsconfig.json'), (ts) => {
    ts.references = refs;
  });
}

update(join(root, 'tsconfig.json'), (ts) => {
  ts.files = [];
  ts.references = [...packages.values()].map((d) => ({ path: relative(root, d) }));
});

if (stale.length > 0 && check) {
  console.error(`sync-tsconfig-references: stale project references in ${stale.join(', ')}; expected them to match package.json dependencies. Run \`node tools/sync-tsconfig-references.mjs\` and commit.`);
  process.exit(1);
}
if (stale.length > 0) console.log(`sync-tsconfig-references: updated ${stale.join(', ')}`);
