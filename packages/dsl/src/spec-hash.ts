import { createHash } from 'node:crypto';
import type { ModelSpec } from './generated/model-spec.js';

/** Keys that do not change what a spec builds or trains, left out of {@link specHash}. */
// `plugins` says where entries come from, not what the spec builds (their names are in the spec).
const IGNORED = new Set(['$schema', 'description', 'plugins']);

/** The sections that fix the network's parameters (for {@link specHash} with `architectureOnly`). */
const ARCHITECTURE = ['name', 'input', 'timesteps', 'defaults', 'layers', 'readout'];

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stable SHA-256 (hex) of a spec for checkpoints: canonical JSON (sorted keys) of the spec without
 * `$schema`, `description` and `plugins`, so formatting, key order and comments-in-description do not change it.
 * Hash the validated spec (defaults filled in), so spelling a default out does not change it either.
 * @param options.architectureOnly hash only name, input, timesteps, defaults, layers and readout (what
 *   decides the parameters), so editing `training` or `hardware` keeps checkpoints loadable
 */
export function specHash(spec: ModelSpec, options: { architectureOnly?: boolean } = {}): string {
  const entries = Object.entries(spec).filter(([k]) => !IGNORED.has(k) && (!options.architectureOnly || ARCHITECTURE.includes(k)));
  return createHash('sha256').update(canonicalJson(Object.fromEntries(entries))).digest('hex');
}
