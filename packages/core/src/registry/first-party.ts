import { PluginError } from '../errors.js';
import { registry as defaultRegistry, type Registry } from './registry.js';
import { loadPlugins } from './plugin.js';

export { FIRST_PARTY_PROVIDERS } from './first-party-providers.js';

/**
 * The plugin room: which first-party plugin packages exist and how they load. Every package that
 * needs the installed plugins (the DSL's validator, codegen, the trainer, the benchmarks, the cli)
 * calls {@link loadInstalledPlugins}; no other list of first-party plugins exists.
 *
 * Names, not imports: core sits below all of these packages, so it knows them only as package
 * names and imports the ones that are installed at run time (a user may install `@deepspike/dsl`
 * without `@deepspike/neuromorphic`).
 */
export const FIRST_PARTY_PLUGINS: readonly string[] = [
  '@deepspike/core',
  '@deepspike/surrogate',
  '@deepspike/tdbn',
  '@deepspike/datasets',
  '@deepspike/train',
  '@deepspike/neuromorphic',
];

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
export async function loadInstalledPlugins(registry: Registry = defaultRegistry, extra: readonly string[] = []): Promise<string[]> {
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
