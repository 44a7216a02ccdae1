import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PluginError, registry as defaultRegistry, type Registry } from '@deepspike/core';
import type { ModelSpec } from './generated/model-spec.js';
import { DslError, type DslProblem } from './errors.js';
import { messages } from './messages.js';
import { loadDslPlugins, loadPluginSpecs } from './plugins.js';
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
   * Plugins to load first (async functions only), besides the installed first-party ones and those the
   * model names in its `plugins` field: package names or paths resolved from {@link pluginBase}, as
   * given by `--plugin` flags. Pass `false` to load nothing (not even the model's `plugins`) and use
   * the registry as it is.
   */
  readonly plugins?: readonly string[] | false;
  /** Folder the {@link plugins} option is resolved from (default: the working directory). */
  readonly pluginBase?: string;
  /**
   * Folder the model's own `plugins` entries are resolved from (default: the model file's folder for
   * {@link checkModelFile}, else the working directory).
   */
  readonly baseDir?: string;
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
  const parsed = parseInput(input, options.file ?? '<input>');
  return 'valid' in parsed ? parsed : run(parsed, options.registry ?? defaultRegistry);
}

/** The model parsed once (JSON text with its source map, or an object), or the failed result naming the JSON problem. */
function parseInput(input: string | object, file: string): ParsedSource | ValidationResult {
  try {
    return typeof input === 'string' ? parseSource(input, file) : fromObject(input, file);
  } catch (err) {
    if (err instanceof DslError) return { file, valid: false, problems: err.problems };
    throw err;
  }
}

/**
 * Loads the plugins the model names in `plugins` (entries that are not strings are left to the schema).
 * @returns one problem per entry that did not load, at `/plugins/<i>`
 */
async function loadModelPlugins(parsed: ParsedSource, from: string, registry: Registry): Promise<DslProblem[]> {
  const list = (parsed.data as { plugins?: unknown } | null)?.plugins;
  if (!Array.isArray(list)) return [];
  const entries = list.map((spec, i) => [i, spec] as const).filter((e): e is readonly [number, string] => typeof e[1] === 'string' && e[1] !== '');
  const { failures } = await loadPluginSpecs(entries.map(([, spec]) => spec), { from, registry });
  return failures.map((f) => problemFor(parsed, `/plugins/${(entries[f.index] as readonly [number, string])[0]}`, f.message).problem);
}

/**
 * {@link checkModelSync} after loading the installed first-party plugins, `options.plugins` (from
 * `options.pluginBase`) and the plugins the model names in its `plugins` field (from `options.baseDir`).
 * A model plugin that does not load is the result's only problem(s), at `/plugins/<i>` (checking the
 * rest without it would only report its names as unknown).
 * @throws PluginError when an `options.plugins` entry does not load (a command-line mistake, not the file's)
 */
export async function checkModel(input: string | object, options: ValidateOptions = {}): Promise<ValidationResult> {
  const registry = options.registry ?? defaultRegistry;
  const file = options.file ?? '<input>';
  if (options.plugins !== false) {
    await loadDslPlugins([], registry);
    const extra = options.plugins ?? [];
    if (extra.length > 0) {
      const { failures } = await loadPluginSpecs(extra, { from: resolve(options.pluginBase ?? process.cwd()), registry, flag: true });
      if (failures.length > 0) throw new PluginError(failures.map((f) => f.message).join('\n'));
    }
  }
  // Parsed once: the model's plugins are read from the same parse the validator then checks.
  const parsed = parseInput(input, file);
  if ('valid' in parsed) return parsed;
  if (options.plugins !== false) {
    const problems = await loadModelPlugins(parsed, resolve(options.baseDir ?? process.cwd()), registry);
    if (problems.length > 0) return { file, valid: false, problems };
  }
  return run(parsed, registry);
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
  return checkModel(text, { ...options, file, baseDir: options.baseDir ?? dirname(resolve(path)) });
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
 * Validates a model given as JSON text or an object, after loading the installed first-party plugins
 * and those the model names in `plugins` (see {@link checkModel}).
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
