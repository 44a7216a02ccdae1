import { DuplicateEntryError, UnknownEntryError } from '../errors.js';
import { messages } from '../messages.js';
import { REGISTRY_KINDS, type EntryBase, type KindName, type RegistryKind, type RegistryKinds } from './kinds.js';
import { FIRST_PARTY_PROVIDERS } from './first-party-providers.js';

/** A JSON Schema fragment a plugin contributes to the DSL for one of its entries. */
export interface SchemaFragment {
  /** The kind the fragment describes options of (`layer` fragments add a layer type to the DSL). */
  readonly kind: KindName;
  /** The registered name the fragment belongs to. */
  readonly name: string;
  /** JSON Schema (2020-12) of the entry's options object. */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** The entry type of kind `K`: its package's type where that package is imported, else {@link EntryBase}. */
export type EntryOf<K extends KindName> = K extends RegistryKind ? RegistryKinds[K] : EntryBase;

/** One registered entry and where it came from. */
export interface RegisteredEntry<K extends KindName> {
  readonly kind: K;
  readonly name: string;
  readonly impl: EntryOf<K>;
  /** The plugin that registered it, when registered through {@link loadPlugins}. */
  readonly plugin?: string;
}

/** Options of {@link Registry.register}. */
export interface RegisterOptions {
  /** Replace an existing entry of the same kind and name instead of throwing. */
  readonly override?: boolean;
  /** Name of the plugin registering the entry (set by loadPlugins). */
  readonly plugin?: string;
}

/**
 * The one registry of neurons, surrogates, norms, layers, encoders, datasets, losses, optimisers,
 * schedules and chip targets. Lookups are typed by kind; a duplicate throws unless overridden; a miss
 * names what is registered and where first-party entries come from.
 */
export class Registry {
  private readonly entries = new Map<string, Map<string, RegisteredEntry<KindName>>>();
  private readonly fragments = new Map<string, SchemaFragment>();
  private readonly plugins: string[] = [];

  constructor() {
    for (const kind of REGISTRY_KINDS) this.entries.set(kind, new Map());
  }

  /**
   * Registers `impl` as `kind`/`name`.
   * @throws DuplicateEntryError when the name is taken and `options.override` is not set.
   */
  register<K extends KindName>(kind: K, name: string, impl: EntryOf<K>, options: RegisterOptions = {}): void {
    const table = this.table(kind);
    const existing = table.get(name);
    if (existing && !options.override) {
      throw new DuplicateEntryError(messages.duplicateEntry(kind, name, existing.plugin, options.plugin));
    }
    const entry: RegisteredEntry<KindName> = options.plugin === undefined ? { kind, name, impl } : { kind, name, impl, plugin: options.plugin };
    table.set(name, entry);
  }

  /**
   * The entry `kind`/`name`.
   * @throws UnknownEntryError listing the registered names of that kind.
   */
  get<K extends KindName>(kind: K, name: string): EntryOf<K> {
    const entry = this.table(kind).get(name);
    if (!entry) throw new UnknownEntryError(messages.unknownEntry(kind, name, this.names(kind), this.plugins, FIRST_PARTY_PROVIDERS[kind]));
    return entry.impl as EntryOf<K>;
  }

  /** Whether `kind`/`name` is registered. */
  has(kind: KindName, name: string): boolean {
    return this.table(kind).has(name);
  }

  /** Registered names of `kind`, sorted. */
  names(kind: KindName): string[] {
    return [...this.table(kind).keys()].sort();
  }

  /** Registered entries of `kind` with their origin, sorted by name. */
  list<K extends KindName>(kind: K): RegisteredEntry<K>[] {
    return this.names(kind).map((n) => this.table(kind).get(n) as RegisteredEntry<K>);
  }

  /** Removes `kind`/`name`; returns whether it was there. */
  unregister(kind: KindName, name: string): boolean {
    this.fragments.delete(`${kind}/${name}`);
    return this.table(kind).delete(name);
  }

  /** Adds schema fragments (a later fragment for the same kind/name replaces the earlier one). */
  addSchemas(fragments: readonly SchemaFragment[]): void {
    for (const f of fragments) this.fragments.set(`${f.kind}/${f.name}`, f);
  }

  /** Every schema fragment contributed so far, in registration order. */
  schemas(): SchemaFragment[] {
    return [...this.fragments.values()];
  }

  /** Records that a plugin was loaded (called by loadPlugins). */
  markPluginLoaded(name: string): void {
    if (!this.plugins.includes(name)) this.plugins.push(name);
  }

  /** Names of the plugins loaded into this registry, in load order. */
  loadedPlugins(): readonly string[] {
    return [...this.plugins];
  }

  private table(kind: KindName): Map<string, RegisteredEntry<KindName>> {
    const t = this.entries.get(kind);
    if (!t) throw new UnknownEntryError(messages.unknownKind(String(kind), REGISTRY_KINDS));
    return t;
  }
}

/** The process-wide registry that first-party and third-party plugins register into. */
export const registry = new Registry();
