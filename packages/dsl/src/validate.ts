import { readFile, stat } from 'node:fs/promises';
import { registry as defaultRegistry, type Registry } from '@deepspike/core';
import type { ModelSpec } from './generated/model-spec.js';
import { DslError, type DslProblem } from './errors.js';
import { messages } from './messages.js';
import { loadDslPlugins } from './plugins.js';
import { describeErrors } from './schema/describe-errors.js';
import { compileDsl } from './schema/validator.js';
import { checkSpec } from './semantic/check-spec.js';
import { fromObject, MAX_MODEL_FILE_BYTES, parseSource, problemFor, type ParsedSource } from './source/parse.js';

/** Options of the validation functions. */
export interface ValidateOptions {
  /** File name used in messages (default `<input>`; {@link validateModelFile} uses its path). */
  readonly file?: string;
  /** Registry whose names and schema fragments count (default: the process-wide one). */
  readonly registry?: Registry;
  /**
   * Plugin packages to load first, besides the installed first-party ones (async functions only).
   * Pass `false` to load nothing and use the registry as it is.
   */
  readonly plugins?: readonly string[] | false;
}

/** Everything validation found: the spec (with defaults filled in) when valid, else the problems. */
export interface ValidationResult {
  readonly file: string;
  readonly valid: boolean;
  /** The spec with schema defaults filled in (present when `valid`). */
  readonly spec?: ModelSpec;
  /** Every problem in source order (empty when `valid`). */
  readonly problems: readonly DslProblem[];
}

function run(parsed: ParsedSource, registry: Registry): ValidationResult {
  const { file } = parsed;
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    return { file, valid: false, problems: [problemFor(parsed, '', messages.notAnObject(parsed.data)).problem] };
  }
  const dsl = compileDsl(registry);
  if (!dsl.validate(parsed.data)) {
    return { file, valid: false, problems: describeErrors(dsl.validate.errors ?? [], parsed, dsl.layerTypes) };
  }
  const spec = parsed.data as ModelSpec;
  const problems = checkSpec({ spec, parsed, registry, dsl });
  return problems.length > 0 ? { file, valid: false, problems } : { file, valid: true, spec, problems: [] };
}

/**
 * Checks a model given as JSON text or as an object, using the registry as it is (no plugin loading):
 * the JSON, the schema (with plugin layer types merged), then shapes, names and the rest.
 * @returns the result; never throws for a bad model (only for bugs)
 */
export function checkModelSync(input: string | object, options: Omit<ValidateOptions, 'plugins'> = {}): ValidationResult {
  const file = options.file ?? '<input>';
  let parsed: ParsedSource;
  try {
    parsed = typeof input === 'string' ? parseSource(input, file) : fromObject(input, file);
  } catch (err) {
    if (err instanceof DslError) return { file, valid: false, problems: err.problems };
    throw err;
  }
  return run(parsed, options.registry ?? defaultRegistry);
}

/** {@link checkModelSync} after loading the installed first-party plugins and `options.plugins`. */
export async function checkModel(input: string | object, options: ValidateOptions = {}): Promise<ValidationResult> {
  const registry = options.registry ?? defaultRegistry;
  if (options.plugins !== false) await loadDslPlugins(options.plugins ?? [], registry);
  return checkModelSync(input, { ...options, registry });
}

/**
 * Checks a model file: refuses files over {@link MAX_MODEL_FILE_BYTES} by their size (before reading),
 * then as {@link checkModel}. Never throws for a bad or unreadable file.
 */
export async function checkModelFile(path: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const file = options.file ?? path;
  const at = (message: string): ValidationResult => ({ file, valid: false, problems: [{ file, path: '', line: 1, column: 1, message }] });
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_MODEL_FILE_BYTES) return at(messages.tooLarge(info.size, MAX_MODEL_FILE_BYTES));
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { file, valid: false, problems: [{ file, path: '', line: 0, column: 0, message: messages.unreadable(e.code ?? e.message) }] };
  }
  return checkModel(text, { ...options, file });
}

function orThrow(result: ValidationResult): ModelSpec {
  if (!result.valid || !result.spec) throw new DslError(result.file, result.problems);
  return result.spec;
}

/**
 * Validates a model given as JSON text or an object, using the registry as it is.
 * @returns the spec with schema defaults filled in
 * @throws DslError listing every problem as `file:line:column  /json/path  what is wrong (got X; expected Y)`
 */
export function validateModelSync(input: string | object, options: Omit<ValidateOptions, 'plugins'> = {}): ModelSpec {
  return orThrow(checkModelSync(input, options));
}

/**
 * Validates a model given as JSON text or an object, after loading the installed first-party plugins.
 * @returns the spec with schema defaults filled in
 * @throws DslError listing every problem as `file:line:column  /json/path  what is wrong (got X; expected Y)`
 */
export async function validateModel(input: string | object, options: ValidateOptions = {}): Promise<ModelSpec> {
  return orThrow(await checkModel(input, options));
}

/**
 * Validates a `*.snn.json` file (see {@link checkModelFile}).
 * @returns the spec with schema defaults filled in
 * @throws DslError listing every problem as `file:line:column  /json/path  what is wrong (got X; expected Y)`
 */
export async function validateModelFile(path: string, options: ValidateOptions = {}): Promise<ModelSpec> {
  return orThrow(await checkModelFile(path, options));
}
