import { loadInstalledPlugins, loadPlugins, PluginError, registry as defaultRegistry, type Registry } from '@deepspike/core';
import { messages } from './messages.js';
import { isPathSpecifier, resolvePluginSpecifier } from './source/resolve-plugin.js';

/** The first-party plugin list of core's plugin room (re-exported for the DSL's callers). */
export { FIRST_PARTY_PLUGINS } from '@deepspike/core';

/**
 * Loads the installed first-party plugins, then `extra` plugin packages, into `registry`: core's
 * {@link loadInstalledPlugins}, the one plugin loader, with the DSL's argument order.
 */
export function loadDslPlugins(extra: readonly string[] = [], registry: Registry = defaultRegistry): Promise<string[]> {
  return loadInstalledPlugins(registry, extra);
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
          // manifest-check: a plugin a model file names, resolved from the model file's folder
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
