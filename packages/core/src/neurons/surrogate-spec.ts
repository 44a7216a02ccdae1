import { check } from '../errors.js';
import { stbpRectangle } from '../ops/default-surrogate.js';
import { isSurrogate } from '../ops/spike.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { registry as defaultRegistry, type Registry } from '../registry/registry.js';

/**
 * How a neuron's surrogate may be given: a {@link Surrogate}, a registered name (`"atan"`), or
 * `{name, params}` as in model files (`{name: "rect", params: {alpha: 1}}`).
 */
export type SurrogateSpec = Surrogate | string | { readonly name: string; readonly params?: Readonly<Record<string, number>> };

/**
 * Resolves a {@link SurrogateSpec}; `undefined` gives the paper's rectangle with a = 1 ({@link stbpRectangle}).
 * Names are looked up in the registry (kind `surrogate`, filled by @deepspike/surrogate).
 * @throws UnknownEntryError for an unregistered name (listing the registered ones);
 *   InvalidArgumentError for anything else that is not a spec
 */
export function resolveSurrogateSpec(where: string, spec: unknown, registry: Registry = defaultRegistry): Surrogate {
  if (spec === undefined) return stbpRectangle(1);
  if (isSurrogate(spec)) return spec;
  if (typeof spec === 'string') return registry.get('surrogate', spec).create();
  const named = spec as { name?: unknown; params?: unknown };
  check(typeof named === 'object' && named !== null && typeof named.name === 'string' && (named.params === undefined || typeof named.params === 'object'), () =>
    spikingMessages.surrogateSpec(where, spec),
  );
  return registry.get('surrogate', named.name as string).create(named.params as Record<string, number> | undefined);
}
