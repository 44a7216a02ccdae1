/** Deterministic TypeScript literals for JSON-like values (single quotes, inline when short). */

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key: bare when an identifier, quoted otherwise. */
export function key(k: string): string {
  return IDENT.test(k) ? k : quote(k);
}

/** A single-quoted string literal. */
export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** A number literal that round-trips (`1e-5` stays `0.00001`, as `String` gives). */
function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`literal: cannot emit ${n}`);
  return Object.is(n, -0) ? '0' : String(n);
}

/** A value known to be code, emitted verbatim (e.g. a variable name). */
export class Code {
  constructor(readonly text: string) {}
}

/** Wraps code text so {@link literal} emits it verbatim. */
export const code = (text: string): Code => new Code(text);

/**
 * Prints a JSON-like value (plus {@link Code} fragments) as a TypeScript literal. Objects and arrays
 * go on one line when they fit in `width` columns, else one entry per line; key order is kept.
 */
export function literal(value: unknown, indent = '', width = 100, breakTop = false): string {
  if (value instanceof Code) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((v) => literal(v, '', Infinity)).join(', ')}]`;
    if (!breakTop && inline.length + indent.length <= width && !inline.includes('\n')) return inline;
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${literal(v, inner, width)}`).join(',\n')},\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const prop = (k: string, v: unknown, ind: string, w: number): string => (v instanceof Code && v.text === k ? k : `${key(k)}: ${literal(v, ind, w)}`);
    const inline = `{ ${entries.map(([k, v]) => prop(k, v, '', Infinity)).join(', ')} }`;
    if (!breakTop && inline.length + indent.length <= width && !inline.includes('\n')) return inline;
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${prop(k, v, inner, width)}`).join(',\n')},\n${indent}}`;
  }
  throw new Error(`literal: cannot emit a ${typeof value}`);
}

/**
 * `prefix + literal(value) + suffix` on one line when the line (after `lineStart`) fits in `width`
 * columns, else with the value's entries one per line.
 */
export function call(lineStart: string, prefix: string, value: unknown, suffix: string, width = 120): string {
  const inline = `${prefix}${literal(value, '', Infinity)}${suffix}`;
  if (lineStart.length + inline.length <= width) return inline;
  const indent = ' '.repeat(lineStart.length - lineStart.trimStart().length);
  return `${prefix}${literal(value, indent, width - 10, true)}${suffix}`;
}
