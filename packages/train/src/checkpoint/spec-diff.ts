import { createHash } from 'node:crypto';

/** Keys that describe a spec but do not change the network or its training (ignored by hash and diff). */
const COSMETIC = new Set(['$schema', 'description']);

function canonical(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (top && COSMETIC.has(k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v, false);
    }
    return out;
  }
  return value;
}

/**
 * A stable hash of a model spec (sha256 of its canonical JSON: sorted keys, `$schema` and
 * `description` left out), stored in every checkpoint.
 */
export function hashSpec(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(spec))).digest('hex').slice(0, 16);
}

const short = (v: unknown): string => {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/**
 * The JSON paths where two specs differ, with both values: `layers[2].channels: 64 in the checkpoint, 32 now`.
 * @param limit at most this many differences (default 5)
 */
export function diffSpecs(saved: unknown, current: unknown, limit = 5): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) out.push(`${path || '(root)'} length: ${a.length} in the checkpoint, ${b.length} now`);
      for (let i = 0; i < Math.min(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`);
      return;
    }
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path || '(root)'}: ${short(a)} in the checkpoint, ${short(b)} now`);
  };
  walk(canonical(saved), canonical(current), '');
  return out;
}
