import { loadPlugins, PluginError, registry as defaultRegistry, type Registry } from '@deepspike/core';
import { messages } from './messages.js';
import { isPathSpecifier, resolvePluginSpecifier } from './source/resolve-plugin.js';

/**
 * First-party packages whose entries and schema fragments the DSL knows (each loaded when installed):
 * encoders and neurons (`@deepspike/core`), surrogates, norms, datasets, chip targets and their options.
 */
export const FIRST_PARTY_PLUGINS: readonly string[] = ['@deepspike/core', '@deepspike/surrogate', '@deepspike/tdbn', '@deepspike/datasets', '@deepspike/neuromorphic'];

function isMissingPackage(err: unknown, name: string): boolean {
  const cause = err instanceof PluginError ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code === 'ERR_MODULE_NOT_FOUND' && String(cause.message).includes(`'${name}'`);
}

const loading = new WeakMap<Registry, Map<string, Promise<boolean>>>();

/**
 * Loads the first-party plugins that are installed, then `extra` plugin packages (which must be),
 * into `registry`. Each package is imported once per registry.
 * @returns the names of the packages loaded (first-party ones that are not installed are skipped)
 * @throws PluginError when an `extra` package cannot be imported or is not a plugin, or a first-party
 *   package is installed but fails to load
 */
export async function loadDslPlugins(extra: readonly string[] = [], registry: Registry = defaultRegistry): Promise<string[]> {
  let table = loading.get(registry);
  if (!table) loading.set(registry, (table = new Map()));
  const names = [...FIRST_PARTY_PLUGINS, ...extra.filter((n) => !FIRST_PARTY_PLUGINS.includes(n))];
  const loaded: string[] = [];
  for (const name of names) {
    let p = table.get(name);
    if (!p) {
      const optional = FIRST_PARTY_PLUGINS.includes(name);
      p = loadPlugins([name], registry).then(
        () => true,
        (err: unknown) => {
          if (optional && isMissingPackage(err, name)) return false;
          throw err;
        },
      );
      table.set(name, p);
    }
    if (await p) loaded.push(name);
  }
  return loaded;
}

/** A plugin specifier that did not load: its position in the list and the sentence saying why. */
export interface PluginSpecFailure {
  readonly index: number;
  readonly spec: string;
  /** `plugin "x" not found (got ...; expected ...). <fix>` (or the `--plugin "x": ...` form with `flag`). */
  readonly message: string;
}

/** Options of {@link loadPluginSpecs}. */
export interface PluginSpecOptions {
  /** Folder the specifiers are resolved from (a model file's folder, or the working directory for flags). */
  readonly from: string;
  /** Registry to install into (default: the process-wide one). */
  readonly registry?: Registry;
  /** Word failures for a `--plugin` flag rather than for a model file's `plugins` entry. */
  readonly flag?: boolean;
}

const imported = new WeakMap<Registry, Map<string, Promise<string | null>>>();

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/**
 * Loads plugins named by specifiers — npm package names (with an optional subpath) resolved as Node
 * resolves an import from `options.from`, or paths relative to it (see `resolvePluginSpecifier`) —
 * and installs each module's `deepspikePlugin` (with its schema fragments) into the registry. Each
 * resolved module is imported once per registry; a plugin already installed under its name is skipped.
 * Never throws for a bad specifier: it is reported in `failures`.
 * @returns the plugin names loaded, and one failure per specifier that was not found or is not a plugin
 */
export async function loadPluginSpecs(specs: readonly string[], options: PluginSpecOptions): Promise<{ loaded: string[]; failures: PluginSpecFailure[] }> {
  const registry = options.registry ?? defaultRegistry;
  let table = imported.get(registry);
  if (!table) imported.set(registry, (table = new Map()));
  const loaded: string[] = [];
  const failures: PluginSpecFailure[] = [];
  for (const [index, spec] of specs.entries()) {
    const r = resolvePluginSpecifier(spec, options.from);
    if (!r.found) {
      failures.push({ index, spec, message: messages.pluginNotFound(spec, r.reason, options.from, isPathSpecifier(spec), options.flag, r.suggestion) });
      continue;
    }
    let p = table.get(r.url);
    if (!p) {
      p = (async () => {
        let mod: Record<string, unknown>;
        try {
          mod = (await import(r.url)) as Record<string, unknown>;
        } catch (err) {
          return `an error importing ${r.path}: ${firstLine(err)}`;
        }
        try {
          const [plugin] = await loadPlugins([r.url], registry);
          return plugin ? null : 'no plugin';
        } catch (err) {
          if (!(err instanceof PluginError)) throw err;
          return `exports {${Object.keys(mod).join(', ')}} from ${r.path}`;
        }
      })();
      table.set(r.url, p);
    }
    const problem = await p;
    if (problem === null) loaded.push(spec);
    else failures.push({ index, spec, message: messages.pluginNotLoadable(spec, problem, options.flag) });
  }
  return { loaded, failures };
}
