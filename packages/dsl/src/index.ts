/**
 * @deepspike/dsl — the DeepSpike model DSL: JSON Schemas of `*.snn.json` model files (served as
 * `@deepspike/dsl/schemas/model.schema.json`), validation with `file:line:column` errors, semantic
 * shape checks, and the generated TypeScript types of specs.
 *
 * ```ts
 * const spec = await validateModelFile('examples/mnist-tdbn/mnist-tdbn.snn.json'); // throws DslError
 * const shapes = inferShapes(spec); // per-layer [H, W, C] / [C]
 * ```
 * @packageDocumentation
 */
export type * from './generated/model-spec.js';
export { DslError, formatProblem, type DslProblem } from './errors.js';
export { messages as dslMessages } from './messages.js';
export { didYouMean, editDistance } from './did-you-mean.js';
export { MAX_MODEL_FILE_BYTES } from './source/parse.js';
export { schemaPath, SCHEMA_FILES } from './schema/load-schemas.js';
export { compileDsl, MODEL_SCHEMA_ID, type CompiledDsl } from './schema/validator.js';
export { FIRST_PARTY_PLUGINS, loadDslPlugins, loadPluginSpecs, type PluginSpecFailure, type PluginSpecOptions } from './plugins.js';
export { resolvePluginSpecifier, type PluginResolution } from './source/resolve-plugin.js';
export { inferShapes, type LayerShape, type SampleShape, type ShapeReport } from './semantic/infer-shapes.js';
export { resolveNeuron, resolveNorm, type ResolvedNeuron, type ResolvedNorm } from './semantic/resolve.js';
export { canonicalJson, specHash } from './spec-hash.js';
export {
  checkModel,
  checkModelFile,
  checkModelSync,
  validateModel,
  validateModelFile,
  validateModelSync,
  type ValidateOptions,
  type ValidationResult,
} from './validate.js';
