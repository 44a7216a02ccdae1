#!/usr/bin/env node
// Creates a workspace package from tools/package-template:
//   node tools/new-package.mjs <name> "<description>" [--dir packages|plugins]
// then `npm install` links it and `npm run build` wires its project references. Nx picks it up
// from its package.json scripts (build, test, typecheck) with no other edit.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dirFlag = args.indexOf('--dir');
const folder = dirFlag >= 0 ? args.splice(dirFlag, 2)[1] : 'packages';
const [name, description] = args;
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !description) {
  console.error('new-package: usage: node tools/new-package.mjs <kebab-name> "<description>" [--dir packages|plugins]');
  process.exit(2);
}
const target = join(root, folder, name);
if (existsSync(target)) {
  console.error(`new-package: ${target} already exists; expected a new folder. Choose another name.`);
  process.exit(2);
}
cpSync(join(root, 'tools', 'package-template'), target, { recursive: true });
const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
for (const file of walk(target)) {
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('__NAME__', name).replaceAll('__DESCRIPTION__', description));
}
console.log(`new-package: created ${folder}/${name}; now run \`npm install && npm run build\`.`);
