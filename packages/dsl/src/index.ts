/**
 * @deepspike/dsl — the DeepSpike model DSL: JSON Schemas of `*.snn.json` model files (served as
 * `@deepspike/dsl/schemas/model.schema.json`), validation with `file:line:column` errors, semantic
 * shape checks, and the generated TypeScript types of specs.
 * @packageDocumentation
 */
export type * from './generated/model-spec.js';
