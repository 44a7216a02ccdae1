#!/usr/bin/env node
// Generates docs/dsl-reference.md from the JSON Schemas of the model DSL (schemas/*.schema.json) and
// the schema fragments the first-party plugins register (neuron, surrogate, norm, dataset, target, ...
// options): every property with its type, default, constraints and description.
//   node tools/generate-dsl-docs.mjs          write docs/dsl-reference.md
//   node tools/generate-dsl-docs.mjs --check  exit 1 when docs/dsl-reference.md is stale (CI)
// The plugin fragments are read from the built packages (run `npm run build` first); the schema files
// are read directly.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schemas');
const outFile = join(root, 'docs', 'dsl-reference.md');

/** Schema files in reading order: the root first, then what it references. */
const ORDER = ['model.schema.json', 'layers.schema.json', 'neuron.schema.json', 'training.schema.json', 'hardware.schema.json'];

/** First-party plugin packages whose fragments are documented, in order. */
const PLUGINS = ['@deepspike/core', '@deepspike/surrogate', '@deepspike/tdbn', '@deepspike/datasets', '@deepspike/train', '@deepspike/neuromorphic'];

const anchor = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const json = (v) => '`' + JSON.stringify(v) + '`';

/** A $ref (local or cross-file) as a Markdown link to the definition's section. */
function refLink(ref) {
  const name = ref.split('/').pop();
  return `[${name}](#${anchor(name)})`;
}

/** The type of a schema node, as compact text with links to referenced definitions. */
function typeOf(s) {
  if (!s || typeof s !== 'object') return 'any';
  if (s.$ref) return refLink(s.$ref);
  if ('const' in s) return json(s.const);
  if (s.enum) return s.enum.map((e) => json(e)).join(' \\| ');
  const alts = s.oneOf ?? s.anyOf;
  if (alts) return alts.map(typeOf).join(' \\| ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const parts = types.map((t) => {
    if (t === 'array') return s.items ? `${typeOf(s.items)}[]` : 'array';
    if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `{[key]: ${typeOf(s.additionalProperties)}}`;
    return t;
  });
  return parts.length ? parts.join(' \\| ') : 'any';
}

/** Constraints of a node as words: ranges, lengths, patterns. */
function constraints(s) {
  const c = [];
  if (s.minimum !== undefined) c.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) c.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) c.push(`≤ ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) c.push(`< ${s.exclusiveMaximum}`);
  if (s.minItems !== undefined && s.minItems === s.maxItems) c.push(`exactly ${s.minItems} items`);
  else {
    if (s.minItems !== undefined) c.push(`≥ ${s.minItems} items`);
    if (s.maxItems !== undefined) c.push(`≤ ${s.maxItems} items`);
  }
  if (s.pattern) c.push(`pattern \`${s.pattern}\``);
  return c.join(', ');
}

/** The property table of an object schema. */
function propertyTable(s) {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const rows = ['| Property | Type | Required | Default | Description |', '|---|---|---|---|---|'];
  for (const [name, p] of Object.entries(props)) {
    const limits = constraints(p);
    const desc = [p.description ?? p.title ?? '', limits ? `(${limits})` : '', p.examples && !('default' in p) ? `Example: ${json(p.examples[0])}.` : '']
      .filter(Boolean)
      .join(' ');
    rows.push(`| \`${name}\` | ${typeOf(p)} | ${required.has(name) ? 'yes' : ''} | ${'default' in p ? json(p.default) : ''} | ${cell(desc)} |`);
  }
  const extra = s.additionalProperties === false ? 'No other properties are allowed.' : s.additionalProperties ? `Other properties: ${typeOf(s.additionalProperties)}.` : '';
  return rows.join('\n') + (extra ? `\n\n${extra}` : '');
}

/** A section for one definition (an object with properties, or another kind of type). */
function section(name, s, level) {
  const out = [`${'#'.repeat(level)} ${name}`, ''];
  if (s.description) out.push(s.description, '');
  if (s.properties) out.push(propertyTable(s), '');
  else {
    const limits = constraints(s);
    out.push(`Type: ${typeOf(s)}${limits ? ` (${limits})` : ''}.${'default' in s ? ` Default ${json(s.default)}.` : ''}`, '');
    if (s.discriminator) out.push(`Told apart by \`${s.discriminator.propertyName}\`.`, '');
  }
  return out.join('\n');
}

/** Sections for every schema file in {@link ORDER} (then any other file). */
function schemaSections() {
  const files = [...ORDER, ...readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json') && !ORDER.includes(f)).sort()];
  const out = [];
  for (const file of files) {
    const s = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
    out.push(`## ${s.title ?? file} (\`schemas/${file}\`)`, '', s.description ?? '', '');
    if (s.properties) out.push(section(s.title ?? file, s, 3));
    for (const [name, def] of Object.entries(s.$defs ?? {})) out.push(section(name, def, 3));
  }
  return out.join('\n');
}

/** Sections for the options fragments of the first-party plugins, grouped by kind. */
async function fragmentSections() {
  const { Registry, installPlugin } = await import('@deepspike/core');
  const registry = new Registry();
  for (const name of PLUGINS) {
    const mod = await import(name);
    installPlugin(mod.deepspikePlugin, registry);
  }
  const byKind = new Map();
  for (const f of registry.schemas()) {
    if (!byKind.has(f.kind)) byKind.set(f.kind, []);
    byKind.get(f.kind).push(f);
  }
  const where = {
    neuron: '`defaults.neuron.options` / a neuron layer\'s `options` (vth, tau, surrogate and detachReset are also top-level neuron fields)',
    surrogate: '`surrogate.params`',
    norm: '`defaults.norm.options` / a norm layer\'s `options`',
    encoder: '`input.encoderOptions`',
    dataset: '`training.dataset.options`',
    optimizer: '`training.optimizer.options`',
    schedule: '`training.schedule.options`',
    loss: '`training.lossOptions`',
    target: '`hardware.options`',
    layer: 'a layer of this `type`',
  };
  const out = ['## Options of registered entries (plugin schema fragments)', '',
    'Each first-party package registers its entries with a schema fragment; the DSL checks the options',
    'object of the entry a model names against it (and a third-party plugin adds fragments the same way;',
    'see [plugin-authoring.md](plugin-authoring.md)).', ''];
  for (const [kind, frags] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`### Kind \`${kind}\``, '', `Checked field: ${where[kind] ?? 'the entry\'s options'}.`, '');
    for (const f of [...frags].sort((a, b) => a.name.localeCompare(b.name))) {
      const plugin = registry.list(kind).find((e) => e.name === f.name)?.plugin;
      out.push(`#### ${kind} \`${f.name}\``, '', `From \`${plugin ?? 'core'}\`.${f.schema.description ? ' ' + f.schema.description : ''}`, '');
      out.push(f.schema.properties && Object.keys(f.schema.properties).length ? propertyTable(f.schema) : 'No options.', '');
    }
  }
  return out.join('\n');
}

async function render() {
  return [
    '<!-- GENERATED by tools/generate-dsl-docs.mjs from schemas/*.schema.json and the first-party plugin fragments. Do not edit; run `node tools/generate-dsl-docs.mjs`. -->',
    '',
    '# DSL reference: `*.snn.json` model files',
    '',
    'Every property a model file may hold, with its type, default, constraints and description. The',
    'root object is [ModelSpec](#modelspec). Editors validate and complete model files through `$schema`',
    '(see [getting-started.md](getting-started.md#editor-support)).',
    '',
    schemaSections(),
    await fragmentSections(),
  ].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

const text = await render();
if (process.argv.includes('--check')) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error('generate-dsl-docs: docs/dsl-reference.md is stale, got a file that differs from the schemas; expected the generated text. Run `node tools/generate-dsl-docs.mjs` and commit it.');
    process.exit(1);
  }
  console.log('generate-dsl-docs: docs/dsl-reference.md is up to date');
} else {
  writeFileSync(outFile, text);
  console.log(`generate-dsl-docs: wrote ${outFile}`);
}
