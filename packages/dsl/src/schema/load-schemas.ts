import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A JSON Schema object (loosely typed: schemas are data here). */
export type JsonSchema = Record<string, unknown>;

/** The schema files of the DSL, by file name; `model.schema.json` is the root. */
export const SCHEMA_FILES = [
  'model.schema.json',
  'neuron.schema.json',
  'layers.schema.json',
  'training.schema.json',
  'hardware.schema.json',
] as const;

/** Base URI of the schemas' `$id`s. */
export const SCHEMA_BASE = 'https://deepspike.dev/schemas/';

/**
 * Absolute path of a schema file shipped in this package (`@deepspike/dsl/schemas/<file>`; the copies
 * in `packages/dsl/schemas/` are written from the repository's `schemas/` by tools/generate-spec-types.mjs).
 */
export function schemaPath(file: string = 'model.schema.json'): string {
  return fileURLToPath(new URL(`../../schemas/${file}`, import.meta.url));
}

let cache: ReadonlyMap<string, JsonSchema> | undefined;

/** Every DSL schema file, parsed (read once; callers must not mutate them). */
export function loadSchemas(): ReadonlyMap<string, JsonSchema> {
  cache ??= new Map(SCHEMA_FILES.map((f) => [f, JSON.parse(readFileSync(schemaPath(f), 'utf8')) as JsonSchema]));
  return cache;
}
