import { existsSync } from 'node:fs';
import { DeepSpikeError } from '@deepspike/core';
import type { Dataset, Group } from 'h5wasm/node';
import { messages } from '../messages.js';
import { h5 } from './h5.js';

/** A NIR parameter as stored: numbers (float or int, flattened row-major) with their shape, or a string. */
export type NirValue = { readonly data: Float64Array; readonly shape: readonly number[]; readonly dtype: string } | string;

/** A node of the NIR tree as read from HDF5, before any interpretation. */
export interface NirRawNode {
  readonly name: string;
  readonly type: string;
  readonly params: Map<string, NirValue>;
  /** NIRGraph only: children by name (HDF5 returns them sorted by name; order means nothing). */
  readonly children: Map<string, NirRawNode>;
  /** NIRGraph only: `(source, target)` rows in file order. */
  readonly edges: [string, string][];
  readonly metadata: Map<string, NirValue>;
}

/** The whole file: `version` and the top graph. */
export interface NirRawFile {
  readonly version: string;
  readonly top: NirRawNode;
}

/** A NIR file that cannot be read or interpreted. */
export class NirError extends DeepSpikeError {}

/**
 * The largest dataset (elements) the importer reads: 2^26 (a 64 M-weight layer, 512 MiB as float64).
 * Sizes are checked from the declared shape before anything is read or allocated.
 */
export const NIR_MAX_ELEMENTS = 2 ** 26;

/** Refuses a declared shape with a negative, fractional or overly large size, naming node and field. */
export function checkDeclaredSize(file: string, where: string, key: string, shape: readonly number[]): void {
  const bad = shape.find((d) => !Number.isInteger(d) || d < 0);
  if (bad !== undefined) throw new NirError(messages.nirLayout(file, `${where}: dataset "${key}" declares dimension ${bad}`, `shape [${shape.join(',')}]`, 'non-negative integer dimensions'));
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > NIR_MAX_ELEMENTS) throw new NirError(messages.nirLayout(file, `${where}: dataset "${key}" declares ${size} elements (shape [${shape.join(',')}])`, `${size} elements`, `at most ${NIR_MAX_ELEMENTS} (nothing was read)`));
}

function toValue(ds: Dataset, file: string, where: string, key: string): NirValue {
  const shape = ds.shape ?? [];
  checkDeclaredSize(file, where, key, shape);
  const v = ds.value as unknown;
  const dtype = typeof ds.dtype === 'string' ? ds.dtype : JSON.stringify(ds.dtype);
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array && dtype.startsWith('S')) return new TextDecoder().decode(v).replace(/\0+$/, '');
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return { data: Float64Array.of(Number(v)), shape, dtype };
  if (ArrayBuffer.isView(v)) {
    const arr = v as unknown as ArrayLike<number | bigint>;
    const data = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) data[i] = Number(arr[i]);
    return { data, shape, dtype };
  }
  return JSON.stringify(v);
}

function readString(g: Group, key: string, file: string, where: string): string {
  const obj = g.get(key);
  if (obj && obj.constructor.name === 'Dataset') {
    const v = toValue(obj as Dataset, file, where, key);
    if (typeof v === 'string') return v;
  }
  const attrs = (g as unknown as { attrs: Record<string, { value: unknown }> }).attrs;
  const attr = attrs?.[key]?.value;
  if (typeof attr === 'string') return attr;
  throw new NirError(messages.nirLayout(file, `${where} has no string dataset "${key}"`, obj ? 'a non-string entry' : 'nothing', `a scalar string dataset "${key}"`));
}

function readNode(g: Group, name: string, file: string): NirRawNode {
  const where = name ? `node "${name}"` : 'the top graph';
  const type = readString(g, 'type', file, where);
  const node: NirRawNode = { name, type, params: new Map(), children: new Map(), edges: [], metadata: new Map() };
  for (const key of g.keys()) {
    const obj = g.get(key);
    if (!obj || key === 'type') continue;
    const isGroup = obj.constructor.name === 'Group';
    if (key === 'metadata' && isGroup) {
      for (const mk of (obj as Group).keys()) {
        const m = (obj as Group).get(mk);
        if (m && m.constructor.name === 'Dataset') node.metadata.set(mk, toValue(m as Dataset, file, `${where} metadata`, mk));
      }
    } else if (type === 'NIRGraph' && key === 'nodes' && isGroup) {
      for (const ck of (obj as Group).keys()) {
        const c = (obj as Group).get(ck);
        if (!c || c.constructor.name !== 'Group') throw new NirError(messages.nirLayout(file, `${where}: nodes/${ck} is not a group`, 'a dataset', 'one group per node'));
        node.children.set(ck, readNode(c as Group, name ? `${name}.${ck}` : ck, file));
      }
    } else if (type === 'NIRGraph' && key === 'edges' && !isGroup) {
      const ds = obj as Dataset;
      checkDeclaredSize(file, where, 'edges', ds.shape ?? []);
      const raw = ds.value as unknown;
      const flat = Array.isArray(raw) ? (raw.flat(2) as unknown[]).map(String) : [];
      const shape = ds.shape ?? [];
      if (flat.length && (shape.length !== 2 || shape[1] !== 2)) throw new NirError(messages.nirLayout(file, `${where}: edges`, `shape [${shape.join(',')}]`, '(N, 2) strings'));
      for (let i = 0; i + 1 < flat.length; i += 2) node.edges.push([flat[i] as string, flat[i + 1] as string]);
    } else if (!isGroup) node.params.set(key, toValue(obj as Dataset, file, where, key));
  }
  return node;
}

/**
 * Reads a `.nir` file (HDF5) into the raw NIR tree with h5wasm: `type` read as a dataset (or an
 * attribute, or fixed-length bytes), gzip datasets decoded by HDF5, int64 as numbers, edges as pairs.
 * @throws NirError when the file is missing or is not laid out as a NIR graph
 */
export async function readNirFile(path: string): Promise<NirRawFile> {
  if (!existsSync(path)) throw new NirError(messages.nirLayout(path, 'the file does not exist', 'no file', 'a .nir (HDF5) file'));
  const lib = await h5();
  let f: InstanceType<typeof lib.File>;
  try {
    f = new lib.File(path, 'r');
  } catch (err) {
    throw new NirError(messages.nirLayout(path, 'cannot open as HDF5', String(err), 'an HDF5 file'));
  }
  try {
    if (!f.keys().includes('node')) throw new NirError(messages.nirLayout(path, 'the root has no "node" group', `entries ${f.keys().join(', ') || '(none)'}`, 'a "node" group holding the top NIRGraph'));
    const version = f.keys().includes('version') ? readString(f, 'version', path, 'the root') : '';
    const top = readNode(f.get('node') as Group, '', path);
    if (top.type !== 'NIRGraph') throw new NirError(messages.nirLayout(path, 'node/type', `"${top.type}"`, '"NIRGraph"'));
    return { version, top };
  } finally {
    f.close();
  }
}
