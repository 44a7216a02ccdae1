import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODEL_SCHEMA_ID, SCHEMA_FILES, schemaPath } from '@deepspike/dsl';

type Json = Record<string, unknown>;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemas = new Map(SCHEMA_FILES.map((f) => [f, JSON.parse(readFileSync(schemaPath(f), 'utf8')) as Json]));

/** Every entry of every `properties` object, with a readable location. */
function properties(): { where: string; file: string; prop: Json; required: boolean }[] {
  const out: { where: string; file: string; prop: Json; required: boolean }[] = [];
  const walk = (node: unknown, where: string, file: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}/${i}`, file));
    if (node === null || typeof node !== 'object') return;
    const obj = node as Json;
    const props = obj.properties as Record<string, Json> | undefined;
    const required = (obj.required as string[] | undefined) ?? [];
    if (props && typeof props === 'object' && !('type' in props && typeof props.type === 'string')) {
      for (const [name, prop] of Object.entries(props)) out.push({ where: `${where}/properties/${name}`, file, prop, required: required.includes(name) });
    }
    for (const [k, v] of Object.entries(obj)) if (k !== 'properties') walk(v, `${where}/${k}`, file);
    if (props) for (const [name, v] of Object.entries(props)) walk(v, `${where}/properties/${name}`, file);
  };
  for (const [file, s] of schemas) walk(s, '', file);
  return out;
}

function resolve(file: string, ref: string): Json {
  const [target, pointer] = ref.split('#') as [string, string];
  const doc = schemas.get((target || file) as (typeof SCHEMA_FILES)[number]) as Json;
  return pointer.split('/').slice(1).reduce<Json>((n, k) => n[k] as Json, doc);
}

/** Optional properties without a schema default, on purpose: each is inherited or means "off" when absent. */
const NO_DEFAULT = [
  // per-layer overrides inherit from defaults.neuron / defaults.norm
  'layers.schema.json /$defs/NormLayer/properties/kind',
  'layers.schema.json /$defs/NormLayer/properties/epsilon',
  'layers.schema.json /$defs/NormLayer/properties/momentum',
  'layers.schema.json /$defs/NormLayer/properties/options',
  'layers.schema.json /$defs/NeuronLayer/properties/kind',
  'layers.schema.json /$defs/NeuronLayer/properties/vth',
  'layers.schema.json /$defs/NeuronLayer/properties/tau',
  'layers.schema.json /$defs/NeuronLayer/properties/surrogate',
  'layers.schema.json /$defs/NeuronLayer/properties/detachReset',
  'layers.schema.json /$defs/NeuronLayer/properties/options',
  // the pool stride defaults to the window size
  'layers.schema.json /$defs/PoolLayer/properties/stride',
  // names are generated from type and position when left out
  ...['Conv2dLayer', 'LinearLayer', 'NormLayer', 'NeuronLayer', 'PoolLayer', 'GlobalAvgPoolLayer', 'FlattenLayer', 'DropoutLayer', 'ResidualLayer', 'SpikformerPatchSplitLayer', 'SpikformerBlockLayer', 'RepeatLayer'].map(
    (d) => `layers.schema.json /$defs/${d}/properties/name`,
  ),
  // no training / hardware section: the model is only built
  'model.schema.json /properties/training',
  'model.schema.json /properties/hardware',
  // no default: an empty list would enter every spec (and its hash) for nothing
  'model.schema.json /properties/plugins',
  // a layer without inputs takes the previous layer's output; a neuron without recurrent has none
  'layers.schema.json /$defs/Conv2dLayer/properties/inputs',
  'layers.schema.json /$defs/LinearLayer/properties/inputs',
  'layers.schema.json /$defs/NormLayer/properties/inputs',
  'layers.schema.json /$defs/NeuronLayer/properties/inputs',
  'layers.schema.json /$defs/PoolLayer/properties/inputs',
  'layers.schema.json /$defs/GlobalAvgPoolLayer/properties/inputs',
  'layers.schema.json /$defs/FlattenLayer/properties/inputs',
  'layers.schema.json /$defs/DropoutLayer/properties/inputs',
  'layers.schema.json /$defs/ResidualLayer/properties/inputs',
  'layers.schema.json /$defs/SpikformerPatchSplitLayer/properties/inputs',
  'layers.schema.json /$defs/SpikformerBlockLayer/properties/inputs',
  // the attention neuron's threshold follows the block neuron's (half of it) when left out
  'layers.schema.json /$defs/SpikformerBlockLayer/properties/attentionVth',
  'layers.schema.json /$defs/NeuronLayer/properties/recurrent',
  // augmentations are off when absent
  'training.schema.json /$defs/Augmentation/properties/randomCrop',
  'training.schema.json /$defs/Augmentation/properties/cutout',
  'training.schema.json /$defs/Augmentation/properties/roll',
  'training.schema.json /$defs/Augmentation/properties/randomResizedCrop',
];

describe('schemas', () => {
  it('are JSON Schema 2020-12 with an $id under the DSL base', () => {
    for (const [file, s] of schemas) {
      expect(s.$schema, file).to.equal('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id, file).to.equal(`https://deepspike.dev/schemas/${file}`);
    }
    expect(MODEL_SCHEMA_ID).to.equal(schemas.get('model.schema.json')?.$id);
  });

  it('give every property a title and a description (editor completion and hover)', () => {
    const missing = properties()
      .filter(({ file, prop }) => {
        const target = typeof prop.$ref === 'string' ? { ...resolve(file, prop.$ref), ...prop } : prop;
        return typeof target.title !== 'string' || typeof target.description !== 'string';
      })
      .map((p) => `${p.file} ${p.where}`);
    expect(missing).to.deep.equal([]);
  });

  it('give every optional property a default, except those inherited or off when absent', () => {
    const lacking = properties()
      .filter(({ prop, required, where }) => !required && !('default' in prop) && !where.includes('/$defs/Plugin_'))
      .map((p) => `${p.file} ${p.where}`);
    expect(lacking.sort()).to.deep.equal([...NO_DEFAULT].sort());
  });

  it('put no default on required properties (a default would hide a missing one)', () => {
    const wrong = properties()
      .filter(({ prop, required }) => required && 'default' in prop)
      .map((p) => `${p.file} ${p.where}`);
    expect(wrong).to.deep.equal([]);
  });

  it('match the generated types and the copies served by the package (tools/generate-spec-types.mjs --check)', function () {
    this.timeout(60000);
    const r = spawnSync(process.execPath, ['tools/generate-spec-types.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });
});
