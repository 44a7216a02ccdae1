import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Registry, SchemaFragment } from '@deepspike/core';
import { builtinLayerTypes, composeSchemas, schemaId } from './compose.js';
import type { JsonSchema } from './load-schemas.js';

/** The compiled DSL: the ajv instance, the model validator, and the layer types it knows. */
export interface CompiledDsl {
  /** The ajv instance (2020-12, allErrors, useDefaults, discriminator on `type`). */
  readonly ajv: Ajv2020;
  /** Validates (and fills defaults into) a whole model document. */
  readonly validate: ValidateFunction;
  /** Every layer type: built-in ones, then those of plugins, in schema order. */
  readonly layerTypes: readonly string[];
}

/** Options of the one ajv instance: every error, defaults filled in, `type` as the layer discriminator. */
function createAjv(): Ajv2020 {
  return new Ajv2020({
    allErrors: true,
    useDefaults: true,
    discriminator: true,
    allowUnionTypes: true,
    verbose: true,
    strict: true,
    // Layer requires "type" that only its oneOf branches define (the discriminator needs it required).
    strictRequired: false,
  });
}

const compiled = new Map<string, CompiledDsl>();

/**
 * The DSL compiled with the `layer` schema fragments registered in `registry` merged in. Compiled once
 * per distinct set of layer fragments (in practice: once per process), then served from a cache.
 */
export function compileDsl(registry: Registry): CompiledDsl {
  const withSchema = registry.schemas().filter((f) => f.kind === 'layer');
  // A layer registered without a fragment is still a layer type; its options go unchecked.
  const bare = registry
    .names('layer')
    .filter((name) => !withSchema.some((f) => f.name === name))
    .map((name) => ({ kind: 'layer' as const, name, schema: { type: 'object', additionalProperties: true } }));
  const layerFragments = [...withSchema, ...bare];
  const key = JSON.stringify(layerFragments.map((f) => [f.name, f.schema]));
  const hit = compiled.get(key);
  if (hit) return hit;
  const ajv = createAjv();
  const schemas = composeSchemas(layerFragments);
  for (const s of schemas.slice(1)) ajv.addSchema(s);
  const validate = ajv.compile(schemas[0] as JsonSchema);
  const builtins = builtinLayerTypes();
  const layerTypes = [...builtins, ...layerFragments.map((f) => f.name).filter((n) => !builtins.includes(n))];
  const dsl: CompiledDsl = { ajv, validate, layerTypes };
  compiled.set(key, dsl);
  return dsl;
}

const fragmentValidators = new WeakMap<object, ValidateFunction>();

/**
 * The validator of a plugin fragment's options schema (`surrogate` params, `norm`/`neuron`/`encoder`/
 * `dataset`/... options), compiled once per fragment on the DSL's ajv instance.
 */
export function fragmentValidator(dsl: CompiledDsl, fragment: SchemaFragment): ValidateFunction {
  let v = fragmentValidators.get(fragment.schema);
  if (!v) {
    const { $schema: _s, $id: _i, ...schema } = fragment.schema as JsonSchema;
    v = dsl.ajv.compile(schema);
    fragmentValidators.set(fragment.schema, v);
  }
  return v;
}

/** `$id` of the root model schema. */
export const MODEL_SCHEMA_ID = schemaId('model.schema.json');
