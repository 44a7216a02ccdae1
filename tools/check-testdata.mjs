#!/usr/bin/env node
// Checks that the repository's test data (testdata/golden, testdata/nir, testdata/reference) are
// byte-for-byte copies of the workspace's shared/ folder beside the repository, where that folder
// exists; the tests read only the copies, so a clone without shared/ still passes `npm test`.
//
//   node tools/check-testdata.mjs            compare; exit 1 listing every missing, extra or different file
//   node tools/check-testdata.mjs --update   refresh the copies from shared/ (each file written atomically)
//   --root DIR     the repository (default: the folder above tools/)
//   --shared DIR   the shared folder (default: <root>/../shared)
//
// Without a shared/ folder it says it skipped, and why, and exits 0 (--update exits 1: nothing to copy from).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders copied from shared/ into testdata/. */
export const FOLDERS = ['golden', 'nir', 'reference'];

function usage(problem) {
  console.error(`check-testdata: ${problem}\nusage: node tools/check-testdata.mjs [--update] [--root DIR] [--shared DIR]`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { update: false, root: resolve(dirname(fileURLToPath(import.meta.url)), '..'), shared: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--update') opts.update = true;
    else if (a === '--root' || a === '--shared') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a folder`);
      opts[a.slice(2)] = resolve(v);
    } else usage(`unknown argument "${a}"`);
  }
  opts.shared ??= resolve(opts.root, '..', 'shared');
  return opts;
}

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() || (e.isSymbolicLink() && statSync(p).isFile())) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Offset of the first byte where `a` and `b` differ (their common length when one is a prefix of the other). */
function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** Compares testdata/<folder> with shared/<folder> for every folder; returns the problems and the file count. */
export function compare(root, shared) {
  const problems = [];
  let files = 0;
  for (const folder of FOLDERS) {
    const src = join(shared, folder);
    const dst = join(root, 'testdata', folder);
    if (!existsSync(src)) {
      problems.push({ kind: 'missing', path: `${folder}/`, detail: `${src} does not exist` });
      continue;
    }
    const want = filesUnder(src);
    const have = new Set(filesUnder(dst));
    for (const f of want) {
      files++;
      const path = `${folder}/${f}`;
      if (!have.has(f)) {
        problems.push({ kind: 'missing', path, detail: 'in shared/, not in testdata/' });
        continue;
      }
      have.delete(f);
      const a = readFileSync(join(src, f));
      const b = readFileSync(join(dst, f));
      if (!a.equals(b)) problems.push({ kind: 'different', path, detail: `first difference at byte ${firstDifference(a, b)} (shared ${a.length} bytes, testdata ${b.length} bytes)` });
    }
    for (const f of have) problems.push({ kind: 'extra', path: `${folder}/${f}`, detail: 'in testdata/, not in shared/' });
  }
  return { problems, files };
}

/** Writes `data` to `file` through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomically(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function update(root, shared, problems) {
  for (const p of problems) {
    if (p.path.endsWith('/')) continue; // a folder missing from shared/: nothing to copy
    const dst = join(root, 'testdata', p.path);
    if (p.kind === 'extra') rmSync(dst);
    else writeAtomically(dst, readFileSync(join(shared, p.path)));
    console.log(`check-testdata: ${p.kind === 'extra' ? 'removed' : p.kind === 'missing' ? 'added' : 'updated'} testdata/${p.path}`);
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const testdata = join(opts.root, 'testdata');
  if (!existsSync(opts.shared)) {
    const why = `${opts.shared} does not exist (a clone outside the DeepSpike workspace has no shared/ beside it; the tests read the copies in ${testdata})`;
    if (opts.update) {
      console.error(`check-testdata: cannot --update: ${why}; got no source, expected a shared/ folder. Pass --shared DIR.`);
      process.exit(1);
    }
    console.log(`check-testdata: skipped: ${why}`);
    return;
  }
  const { problems, files } = compare(opts.root, opts.shared);
  if (problems.length === 0) {
    console.log(`check-testdata: testdata/{${FOLDERS.join(',')}} match ${opts.shared} (${files} files)`);
    return;
  }
  if (opts.update) {
    update(opts.root, opts.shared, problems);
    const after = compare(opts.root, opts.shared).problems;
    if (after.length > 0) {
      for (const p of after) console.error(`  ${p.kind}: ${p.path} (${p.detail})`);
      console.error(`check-testdata: ${after.length} problem(s) left after --update; expected none.`);
      process.exit(1);
    }
    console.log(`check-testdata: refreshed ${problems.length} file(s); testdata/ now matches ${opts.shared} (${files} files)`);
    return;
  }
  for (const p of problems) console.error(`  ${p.kind}: ${p.path} (${p.detail})`);
  console.error(
    `check-testdata: testdata/ differs from ${opts.shared}: got ${problems.length} problem(s), expected none. ` +
      'Run `node tools/check-testdata.mjs --update` to refresh the copies (then commit them), or fix shared/.',
  );
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
