import { loadPlugins, PluginError, registry as defaultRegistry, type Registry } from '@deepspike/core';

/**
 * First-party packages whose entries and schema fragments the DSL knows (each loaded when installed):
 * encoders and neurons (`@deepspike/core`), surrogates, norms, datasets.
 */
export const FIRST_PARTY_PLUGINS: readonly string[] = ['@deepspike/core', '@deepspike/surrogate', '@deepspike/tdbn', '@deepspike/datasets'];

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
