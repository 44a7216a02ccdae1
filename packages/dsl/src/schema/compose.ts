import type { SchemaFragment } from '@deepspike/core';
import { loadSchemas, SCHEMA_BASE, type JsonSchema } from './load-schemas.js';

/** The layer types the schemas define themselves (plugins cannot replace them). */
export function builtinLayerTypes(): string[] {
  const layers = loadSchemas().get('layers.schema.json') as { $defs: Record<string, JsonSchema> };
  const branches = (layers.$defs.Layer as { oneOf: { $ref: string }[] }).oneOf;
  return branches.map((b) => {
    const def = layers.$defs[b.$ref.replace('#/$defs/', '')] as { properties: { type: { const: string } } };
    return def.properties.type.const;
  });
}

/**
 * Turns a plugin's `layer` fragment (the JSON Schema of the layer's options) into a branch of the
 * `Layer` union: `type` is the registered name, `name` the usual layer name, the fragment's own
 * properties follow, and unknown properties are refused unless the fragment allows them.
 */
export function layerBranch(fragment: SchemaFragment): JsonSchema {
  const s = fragment.schema as JsonSchema & { properties?: JsonSchema; required?: string[] };
  const { $schema: _schema, $id: _id, ...rest } = s;
  return {
    ...rest,
    title: typeof s.title === 'string' ? s.title : `${fragment.name} layer`,
    type: 'object',
    properties: {
      type: { title: 'Type', description: 'Layer type (from a plugin).', const: fragment.name },
      name: { $ref: '#/$defs/LayerName' },
      ...(s.properties ?? {}),
    },
    required: ['type', ...(s.required ?? []).filter((r) => r !== 'type')],
    additionalProperties: s.additionalProperties ?? false,
  };
}

/**
 * The DSL schemas with the plugins' layer types merged into `layers.schema.json#/$defs/Layer`
 * (as more branches of its `type`-discriminated `oneOf`). Fragments naming a built-in layer type
 * are ignored: the built-in schema wins.
 */
export function composeSchemas(layerFragments: readonly SchemaFragment[]): JsonSchema[] {
  const builtins = new Set(builtinLayerTypes());
  const schemas = loadSchemas();
  const out: JsonSchema[] = [];
  for (const [file, schema] of schemas) {
    if (file !== 'layers.schema.json') {
      out.push(schema);
      continue;
    }
    const copy = structuredClone(schema) as { $defs: Record<string, JsonSchema> };
    const layer = copy.$defs.Layer as { oneOf: JsonSchema[] };
    for (const f of layerFragments) {
      if (builtins.has(f.name)) continue;
      const key = `Plugin_${f.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      copy.$defs[key] = layerBranch(f);
      layer.oneOf.push({ $ref: `#/$defs/${key}` });
    }
    out.push(copy as JsonSchema);
  }
  return out;
}

/** `$id` of a schema file. */
export function schemaId(file: string): string {
  return `${SCHEMA_BASE}${file}`;
}
