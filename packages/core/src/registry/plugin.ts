import { PluginError } from '../errors.js';
import { messages } from '../messages.js';
import { registry as defaultRegistry, type EntryOf, type Registry, type RegisterOptions, type SchemaFragment } from './registry.js';
import type { KindName } from './kinds.js';

/**
 * What a plugin package exports as `deepspikePlugin`. First-party packages use the same shape.
 *
 * ```ts
 * export const deepspikePlugin: DeepSpikePlugin = {
 *   name: '@acme/deepspike-alif',
 *   register(registry) { registry.register('neuron', 'alif', alifEntry); },
 *   schemas: [{ kind: 'neuron', name: 'alif', schema: { type: 'object', properties: { ... } } }],
 * };
 * ```
 */
export interface DeepSpikePlugin {
  /** The npm package name (used in messages and to skip double loading). */
  readonly name: string;
  /** Registers the plugin's entries. Receives a view that records the plugin as their origin. */
  register(registry: PluginRegistrar): void;
  /** JSON Schema fragments merged into the DSL. */
  readonly schemas?: readonly SchemaFragment[];
}

/** The registration surface a plugin sees. */
export interface PluginRegistrar {
  register<K extends KindName>(kind: K, name: string, impl: EntryOf<K>, options?: Omit<RegisterOptions, 'plugin'>): void;
  has(kind: KindName, name: string): boolean;
}

/**
 * Registers an already imported plugin object (idempotent: a plugin already loaded is skipped).
 * @returns whether it was newly installed.
 */
export function installPlugin(plugin: DeepSpikePlugin, target: Registry = defaultRegistry): boolean {
  if (target.loadedPlugins().includes(plugin.name)) return false;
  const registrar: PluginRegistrar = {
    register: (kind, name, impl, options = {}) => target.register(kind, name, impl, { ...options, plugin: plugin.name }),
    has: (kind, name) => target.has(kind, name),
  };
  plugin.register(registrar);
  if (plugin.schemas) target.addSchemas(plugin.schemas);
  target.markPluginLoaded(plugin.name);
  return true;
}

function isPlugin(value: unknown): value is DeepSpikePlugin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.register === 'function' && (v.schemas === undefined || Array.isArray(v.schemas));
}

/**
 * Imports plugin packages by name and installs their `deepspikePlugin` export into the registry,
 * merging their schema fragments. Already loaded plugins are skipped.
 * @param names npm package names, e.g. `['@deepspike/surrogate', '@acme/deepspike-alif']`
 * @returns the plugin objects, in the order given
 * @throws PluginError naming the package, the cause, the plugins already loaded and how to install it
 */
export async function loadPlugins(names: readonly string[], target: Registry = defaultRegistry): Promise<DeepSpikePlugin[]> {
  const loaded: DeepSpikePlugin[] = [];
  for (const name of names) {
    let mod: Record<string, unknown>;
    try {
      // manifest-check: plugin packages named by the caller (the first-party list, --plugin, a model file's "plugins")
      mod = (await import(name)) as Record<string, unknown>;
    } catch (err) {
      const cause = err instanceof Error ? err.message.split('\n')[0] ?? String(err) : String(err);
      throw new PluginError(messages.pluginNotFound(name, cause, target.loadedPlugins()), { cause: err });
    }
    const plugin = mod.deepspikePlugin ?? (mod.default as Record<string, unknown> | undefined)?.deepspikePlugin;
    if (!isPlugin(plugin)) {
      const found = Object.keys(mod).length > 0 ? `{${Object.keys(mod).join(', ')}}` : '{}';
      throw new PluginError(messages.pluginMalformed(name, found));
    }
    installPlugin(plugin, target);
    loaded.push(plugin);
  }
  return loaded;
}
