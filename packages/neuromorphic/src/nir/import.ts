import { messages } from '../messages.js';
import { compactParam } from '../graph/params.js';
import { validateGraph } from '../graph/validate.js';
import type { GraphEdge, GraphNode, HardwareGraph, ParamArray } from '../graph/types.js';
import { chwToHwc, chwToHwcShape, oihwToHwio, transpose } from './layout.js';
import { NIR_MAX_ELEMENTS, NirError, readNirFile, type NirRawNode, type NirValue } from './raw.js';

/** NIR node types the importer turns into graph nodes; every other type is an error. */
export const NIR_SUPPORTED_TYPES = ['Input', 'Output', 'Affine', 'Linear', 'Scale', 'Conv2d', 'SumPool2d', 'AvgPool2d', 'Flatten', 'IF', 'LIF', 'CubaLIF', 'NIRGraph'] as const;

/** Options of {@link importNIR}. */
export interface ImportNIROptions {
  /**
   * Step dt in seconds used to discretise LIF/CubaLIF (`k = 1 - dt/tau`). Default: the file's
   * `metadata/dt`, else 1e-4 (snnTorch's fixed dt, used by every paper file), with a warning.
   */
  readonly dt?: number;
}

/** The imported graph and what the importer noticed (assumed dt, Output-shape quirks, ...). */
export interface ImportedNIR {
  readonly graph: HardwareGraph;
  readonly version: string;
  /** dt (s) the neurons were discretised with. */
  readonly dt: number;
  readonly warnings: string[];
}

const num = (file: string, node: string, params: Map<string, NirValue>, key: string, optional?: number): { data: Float64Array; shape: readonly number[] } => {
  const v = params.get(key);
  if (v === undefined) {
    if (optional !== undefined) return { data: Float64Array.of(optional), shape: [] };
    throw new NirError(messages.nirParam(file, node, key, 'nothing', 'a numeric dataset'));
  }
  if (typeof v === 'string') throw new NirError(messages.nirParam(file, node, key, `the string "${v}"`, 'numbers'));
  return v;
};

const pair = (file: string, node: string, params: Map<string, NirValue>, key: string, dflt?: number): [number, number] => {
  const v = num(file, node, params, key, dflt);
  const a = v.data[0] as number;
  const b = v.data.length > 1 ? (v.data[1] as number) : a;
  return [a, b];
};

/** A neuron parameter (population-shaped, channel-first) as a compact channels-last ParamArray. */
function popParam(v: { data: Float64Array; shape: readonly number[] }, shape: readonly number[], channels: number): ParamArray {
  if (v.data.length === 1) return v.data[0] as number;
  const size = shape.reduce((a, b) => a * b, 1);
  const hwc = v.data.length === size && v.shape.length > 1 ? chwToHwc(v.data, v.shape) : v.data;
  return compactParam(hwc, channels);
}

const mapParam = (p: ParamArray, f: (x: number, i: number) => number): ParamArray =>
  typeof p === 'number' ? f(p, 0) : Float64Array.from(p, (x, i) => f(x, i));
/** Element-wise `f(a, b)` of two broadcast parameters (scalar, per channel or per neuron, channels last). */
const zip = (a: ParamArray, b: ParamArray, f: (x: number, y: number) => number): ParamArray => {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const len = Math.max(typeof a === 'number' ? 1 : a.length, typeof b === 'number' ? 1 : b.length);
  const at = (p: ParamArray, i: number): number => (typeof p === 'number' ? p : (p[i % p.length] as number));
  return Float64Array.from({ length: len }, (_, i) => f(at(a, i), at(b, i)));
};

function convertNode(file: string, n: NirRawNode, dt: number): GraphNode {
  const p = n.params;
  const name = n.name;
  switch (n.type) {
    case 'Input':
    case 'Output': {
      const dims = Array.from(num(file, name, p, 'shape').data);
      // A declared shape is only numbers until something allocates it: check it here.
      if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1)) throw new NirError(messages.nirParam(file, name, 'shape', `[${dims.join(',')}]`, 'positive integer dimensions'));
      const size = dims.reduce((a, b) => a * b, 1);
      if (size > NIR_MAX_ELEMENTS) throw new NirError(messages.nirParam(file, name, 'shape', `[${dims.join(',')}] (${size} elements)`, `at most ${NIR_MAX_ELEMENTS} elements per step`));
      return { kind: n.type === 'Input' ? 'input' : 'output', name, shape: chwToHwcShape(dims) };
    }
    case 'Affine':
    case 'Linear': {
      const w = num(file, name, p, 'weight');
      if (w.shape.length !== 2) throw new NirError(messages.nirParam(file, name, 'weight', `shape [${w.shape.join(',')}]`, '(out, in)'));
      const [out, inn] = w.shape as [number, number];
      const bias = n.type === 'Affine' ? Float32Array.from(num(file, name, p, 'bias').data) : null;
      return { kind: 'linear', name, weight: transpose(w.data, out, inn), inFeatures: inn, outFeatures: out, bias };
    }
    case 'Conv2d': {
      const w = num(file, name, p, 'weight');
      if (w.shape.length !== 4) throw new NirError(messages.nirParam(file, name, 'weight', `shape [${w.shape.join(',')}]`, '(Cout, Cin/groups, kH, kW)'));
      const [cout, cinG, kh, kw] = w.shape as [number, number, number, number];
      const groups = num(file, name, p, 'groups', 1).data[0] as number;
      const dilation = pair(file, name, p, 'dilation', 1);
      const pad = p.get('padding');
      let padding: [number, number];
      if (typeof pad === 'string') {
        if (pad === 'valid') padding = [0, 0];
        else if (pad === 'same' && (dilation[0] * (kh - 1)) % 2 === 0 && (dilation[1] * (kw - 1)) % 2 === 0) padding = [(dilation[0] * (kh - 1)) / 2, (dilation[1] * (kw - 1)) / 2];
        else throw new NirError(messages.nirParam(file, name, 'padding', `"${pad}"`, '"valid", "same" with odd kernels, or integers'));
      } else padding = pair(file, name, p, 'padding', 0);
      const bias = p.has('bias') ? Float32Array.from(num(file, name, p, 'bias').data) : null;
      return { kind: 'conv', name, weight: oihwToHwio(w.data, cout, cinG, kh, kw), kernel: [kh, kw], inChannels: cinG * groups, outChannels: cout, bias, stride: pair(file, name, p, 'stride', 1), padding, dilation, groups };
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      return { kind: 'pool', name, mode: n.type === 'SumPool2d' ? 'sum' : 'avg', kernel: pair(file, name, p, 'kernel_size'), stride: pair(file, name, p, 'stride'), padding: pair(file, name, p, 'padding', 0) };
    case 'Flatten': {
      const start = num(file, name, p, 'start_dim', 1).data[0] as number;
      const end = num(file, name, p, 'end_dim', -1).data[0] as number;
      const rank = p.has('input_type') ? num(file, name, p, 'input_type').data.length : undefined;
      const full = (start === 0 || (rank !== undefined && rank === 1)) && (end === -1 || (rank !== undefined && end === rank - 1));
      if (!full) throw new NirError(messages.nirParam(file, name, 'start_dim/end_dim', `${start}/${end}${rank ? ` on a rank-${rank} input` : ''}`, 'a flatten of every dimension (start_dim 0, end_dim -1; NIR shapes have no batch axis)'));
      return { kind: 'flatten', name, order: 'chw' };
    }
    case 'Scale': {
      const s = num(file, name, p, 'scale');
      return { kind: 'scale', name, scale: popParam(s, chwToHwcShape(s.shape), (chwToHwcShape(s.shape).at(-1) ?? 1) as number) };
    }
    case 'IF':
    case 'LIF':
    case 'CubaLIF': {
      const th = num(file, name, p, 'v_threshold');
      const shape = th.shape.length ? chwToHwcShape(th.shape) : [1];
      const c = shape[shape.length - 1] as number;
      const P = (key: string, dflt?: number): ParamArray => popParam(num(file, name, p, key, dflt), shape, c);
      const r = P('r');
      const resetValue = P('v_reset', 0);
      const threshold = P('v_threshold');
      const base = { kind: 'population' as const, name, shape, threshold, resetValue, reset: 'zero' as const, strict: true };
      if (n.type === 'IF') return { ...base, model: 'if', decay: 1, gain: r, drive: 0 };
      const tau = P(n.type === 'LIF' ? 'tau' : 'tau_mem');
      const vLeak = P('v_leak');
      const a = mapParam(tau, (t) => dt / t);
      const node = { ...base, model: 'lif' as const, decay: mapParam(a, (x) => 1 - x), gain: zip(a, r, (x, y) => x * y), drive: zip(a, vLeak, (x, y) => x * y) };
      if (n.type === 'LIF') return node;
      const aSyn = mapParam(P('tau_syn'), (t) => dt / t);
      return { ...node, synapse: { decay: mapParam(aSyn, (x) => 1 - x), gain: zip(aSyn, P('w_in', 1), (x, y) => x * y) } };
    }
    default:
      throw new NirError(messages.nirUnsupported(file, name, n.type, NIR_SUPPORTED_TYPES));
  }
}

/** Resolves an edge endpoint inside `g`: an exact child name first, then a dotted path into a subgraph. */
function resolve(g: NirRawNode, name: string): NirRawNode | undefined {
  const direct = g.children.get(name);
  if (direct) return direct;
  const parts = name.split('.');
  for (let i = 1; i < parts.length; i++) {
    const sub = g.children.get(parts.slice(0, i).join('.'));
    if (sub?.type === 'NIRGraph') {
      const r = resolve(sub, parts.slice(i).join('.'));
      if (r) return r;
    }
  }
  return undefined;
}

/** An edge to (or from) a whole subgraph enters at its single Input (leaves at its single Output). */
function port(file: string, n: NirRawNode, kind: 'Input' | 'Output'): NirRawNode {
  let cur = n;
  while (cur.type === 'NIRGraph') {
    const c = [...cur.children.values()].filter((x) => x.type === kind);
    if (c.length !== 1) throw new NirError(messages.nirSubgraphPort(file, cur.name, kind, c.length));
    cur = c[0] as NirRawNode;
  }
  return cur;
}

/**
 * Reads a NIR file into a hardware graph (channels-last). Handles gzip datasets, `type` stored as a
 * dataset, nested NIRGraphs (flattened to dotted names; inner Input/Output nodes spliced out) with
 * recurrent cycles, missing `v_reset` (0) and `w_in` (1), edges in any order, several edges into one
 * node (summed), and an Output declaring a differently-shaped but equal-sized tensor (warning).
 * Neurons are discretised at dt with NIR's forward Euler (see `nir_check.py`): LIF `k = 1 - dt/tau`,
 * input gain `r*dt/tau`, drive `v_leak*dt/tau`; IF `v += r*x` per step; spikes on `v > v_threshold`.
 * @throws NirError naming each dangling edge endpoint, or an unsupported node type (never dropped)
 */
export async function importNIR(path: string, options: ImportNIROptions = {}): Promise<ImportedNIR> {
  const raw = await readNirFile(path);
  const warnings: string[] = [];
  const metaDt = raw.top.metadata.get('dt');
  let dt = options.dt;
  if (dt === undefined && metaDt !== undefined && typeof metaDt !== 'string') dt = metaDt.data[0] as number;
  if (dt === undefined) {
    dt = 1e-4;
    warnings.push(`importNIR ${path}: the file records no dt; neurons discretised at dt = 1e-4 s (snnTorch's default). Pass {dt} to choose another.`);
  }
  if (!(dt > 0)) throw new NirError(messages.badDt(`importNIR ${path}`, dt));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const passThrough = new Set<string>();
  const dangling: string[] = [];
  const walk = (g: NirRawNode, nested: boolean): void => {
    for (const c of g.children.values()) {
      if (c.type === 'NIRGraph') walk(c, true);
      else {
        nodes.push(convertNode(path, c, dt as number));
        if (nested && (c.type === 'Input' || c.type === 'Output')) passThrough.add(c.name);
      }
    }
    for (const [a, b] of g.edges) {
      const ra = resolve(g, a);
      const rb = resolve(g, b);
      const known = [...g.children.keys()];
      if (!ra) dangling.push(messages.nirDangling(path, g.name || '<top>', a, b, a, known));
      if (!rb) dangling.push(messages.nirDangling(path, g.name || '<top>', a, b, b, known));
      if (ra && rb) edges.push({ from: port(path, ra, 'Output').name, to: port(path, rb, 'Input').name });
    }
  };
  walk(raw.top, false);
  if (dangling.length) throw new NirError(dangling.join('\n'));
  let finalEdges = edges;
  for (const p of passThrough) {
    const ins = finalEdges.filter((e) => e.to === p);
    const outs = finalEdges.filter((e) => e.from === p);
    finalEdges = finalEdges.filter((e) => e.to !== p && e.from !== p);
    for (const i of ins) for (const o of outs) finalEdges.push({ from: i.from, to: o.to });
  }
  const graph: HardwareGraph = {
    name: path.replace(/^.*\//, '').replace(/\.nir$/, ''),
    nodes: nodes.filter((n) => !passThrough.has(n.name)),
    edges: finalEdges,
    metadata: { dt, nirVersion: raw.version, ...Object.fromEntries([...raw.top.metadata].map(([k, v]) => [k, typeof v === 'string' ? v : v.data.length === 1 ? v.data[0] : Array.from(v.data)])) },
  };
  const check = validateGraph(graph);
  warnings.push(...check.warnings);
  return { graph, version: raw.version, dt, warnings };
}
