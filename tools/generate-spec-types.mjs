#!/usr/bin/env node
// Generates the TypeScript types of DeepSpike model files from the JSON Schemas in schemas/, and
// copies the schemas into the dsl package (served as `@deepspike/dsl/schemas/*.schema.json`, plus a
// single-file `model.bundle.schema.json` for editors that do not follow cross-file refs):
//   node tools/generate-spec-types.mjs          write packages/dsl/src/generated/model-spec.ts + packages/dsl/schemas/
//   node tools/generate-spec-types.mjs --check  exit 1 when any of them is stale (for CI)
// The schema files reference each other by file name ("layers.schema.json#/$defs/Layer"); they are
// bundled into one schema whose $defs become the exported types (named by their `title`).
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schemas');
const dslDir = join(root, 'packages', 'dsl');
const typesFile = join(dslDir, 'src', 'generated', 'model-spec.ts');

const BANNER = `/* eslint-disable */
/**
 * GENERATED — DO NOT EDIT. Produced by tools/generate-spec-types.mjs from schemas/*.schema.json;
 * change the schemas and run \`node tools/generate-spec-types.mjs\` (CI runs it with --check).
 */`;

/** Rewrites cross-file refs to local ones, drops keywords json-schema-to-typescript does not need. */
function localise(node, depth, isDef) {
  if (Array.isArray(node)) return node.map((n) => localise(n, depth + 1, false));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$id' || k === '$schema' || k === 'discriminator') continue;
    // Titles name types; keep them only on $defs so each property does not become its own alias.
    if (k === 'title' && !isDef) continue;
    if (k === '$ref' && typeof v === 'string') {
      // A $ref with sibling docs would become a new alias type per use; the referenced type suffices.
      return { $ref: v.replace(/^[a-z-]+\.schema\.json#/, '#') };
    }
    if (k === '$defs' || (k === 'properties' && typeof v === 'object')) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, localise(s, depth + 1, k === '$defs')]));
      continue;
    }
    out[k] = localise(v, depth + 1, false);
  }
  // A free-form options object: a string-keyed record, not `{}`.
  if (out.type === 'object' && !out.properties && out.additionalProperties === undefined) out.additionalProperties = true;
  return out;
}

/**
 * One self-contained schema for editors that do not follow cross-file refs: every file's $defs in one
 * $defs, refs made local, docs kept.
 */
function editorBundle(files) {
  const rewrite = (node) => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(/^[a-z-]+\.schema\.json#/, '#') : rewrite(v)]),
    );
  };
  const model = JSON.parse(readFileSync(join(schemaDir, 'model.schema.json'), 'utf8'));
  const bundle = { ...rewrite(model), $id: model.$id.replace('model.schema.json', 'model.bundle.schema.json'), $defs: {} };
  for (const f of files) {
    const defs = JSON.parse(readFileSync(join(schemaDir, f), 'utf8')).$defs ?? {};
    for (const [name, def] of Object.entries(defs)) bundle.$defs[name] = rewrite(def);
  }
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

function schemaFiles() {
  return readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort();
}

async function generate() {
  const files = schemaFiles();
  const model = JSON.parse(readFileSync(join(schemaDir, 'model.schema.json'), 'utf8'));
  const bundle = { ...localise(model, 0, true), $defs: {} };
  for (const f of files) {
    const s = JSON.parse(readFileSync(join(schemaDir, f), 'utf8'));
    const defs = localise(s, 0, true).$defs ?? {};
    for (const [name, def] of Object.entries(defs)) {
      if (bundle.$defs[name]) throw new Error(`generate-spec-types: $defs/${name} is defined twice (in ${f}); expected unique names across schemas/.`);
      bundle.$defs[name] = def;
    }
  }
  const ts = await compile(bundle, 'ModelSpec', {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  const out = new Map([[typesFile, ts]]);
  for (const f of files) out.set(join(dslDir, 'schemas', f), readFileSync(join(schemaDir, f), 'utf8'));
  out.set(join(dslDir, 'schemas', 'model.bundle.schema.json'), editorBundle(files));
  return out;
}

const check = process.argv.includes('--check');
const outputs = await generate();
const stale = [];
for (const [file, content] of outputs) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current === content) continue;
  if (check) stale.push(file.slice(root.length + 1));
  else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`generate-spec-types: wrote ${file.slice(root.length + 1)}`);
  }
}
if (check && stale.length > 0) {
  console.error(
    `generate-spec-types: generated files are stale, got differences in ${stale.join(', ')}; expected them to match schemas/. ` +
      'Run `node tools/generate-spec-types.mjs` and commit the result.',
  );
  process.exit(1);
}
if (check) console.log('generate-spec-types: generated types and schema copies are up to date.');
