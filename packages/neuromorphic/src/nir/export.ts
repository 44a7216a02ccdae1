import { messages } from '../messages.js';
import { expandParam, channelsOf, isUniform, sizeOf } from '../graph/params.js';
import { GraphError } from '../graph/shapes.js';
import type { GraphNode, HardwareGraph, LinearNode, ParamArray, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import type { Group } from 'h5wasm/node';
import { h5 } from './h5.js';
import { hwcToChw, hwcToChwShape, hwioToOihw, transpose } from './layout.js';

/** Options of {@link exportNIR}. */
export interface ExportNIROptions {
  /** The step dt in seconds the STBP recurrence is declared at (required: NIR is continuous-time). */
  readonly dt: number;
  /** Time steps T, recorded in metadata (default `graph.metadata.T` when present). */
  readonly timesteps?: number;
  /** gzip level of array datasets (default 4, as nir.write; 0 disables compression). */
  readonly compression?: number;
}

type Arr = Float32Array | Float64Array | BigInt64Array;
interface Ds { readonly data: Arr | string; readonly shape: readonly number[] }

const i64 = (xs: readonly number[]): Ds => ({ data: BigInt64Array.from(xs.map((x) => BigInt(x))), shape: [xs.length] });
const i64s = (x: number): Ds => ({ data: BigInt64Array.of(BigInt(x)), shape: [] });
const f64 = (xs: Float64Array, shape: readonly number[]): Ds => ({ data: xs, shape });

/** A population parameter as a NIR array of the population's channel-first shape. */
function popArray(p: ParamArray, shape: readonly number[], f: (x: number, i: number) => number = (x) => x): Ds {
  const size = sizeOf(shape);
  const v = expandParam(p, channelsOf(shape), size).map(f);
  return f64(hwcToChw(v, shape), hwcToChwShape(shape));
}

/** NIR parameters of an STBP population at dt: `tau = dt/(1-k)`, `r = gain/(1-k)`, `v_leak = drive/(1-k)`. */
function populationParams(n: PopulationNode, dt: number): { type: string; params: Record<string, Ds> } {
  if (n.reset !== 'zero') throw new GraphError(messages.exportUnsupported(n.name, 'resets by subtraction'));
  // NIR's primitives (LIF, CubaLIF, IF, ...) have no adaptive threshold: exporting the population as a
  // plain LIF would change what it computes, so refuse.
  if (n.adaptation) throw new GraphError(messages.adaptationUnsupported('exportNIR', n.name, 'NIR has no adaptive-threshold neuron primitive (its neurons are LI, LIF, CubaLI, CubaLIF, I and IF), so the model cannot be exported to NIR without changing what it computes. Map it with `deepspike map` to a target with threshold adaptation instead, or retrain with a LIF neuron.'));
  const shape = n.shape;
  const size = sizeOf(shape);
  const k = expandParam(n.decay, channelsOf(shape), size);
  const gain = expandParam(n.gain, channelsOf(shape), size);
  const drive = expandParam(n.drive, channelsOf(shape), size);
  const common = { v_threshold: popArray(n.threshold, shape), v_reset: popArray(n.resetValue, shape) };
  const isIf = k.every((x) => x === 1);
  if (n.synapse) {
    const sd = expandParam(n.synapse.decay, channelsOf(shape), size);
    const sg = expandParam(n.synapse.gain, channelsOf(shape), size);
    return {
      type: 'CubaLIF',
      params: {
        ...common,
        tau_syn: popArray(0, shape, (_, i) => dt / (1 - (sd[i] as number))),
        w_in: popArray(0, shape, (_, i) => (sg[i] as number) / (1 - (sd[i] as number))),
        tau_mem: popArray(0, shape, (_, i) => dt / (1 - (k[i] as number))),
        r: popArray(0, shape, (_, i) => (gain[i] as number) / (1 - (k[i] as number))),
        v_leak: popArray(0, shape, (_, i) => (drive[i] as number) / (1 - (k[i] as number))),
      },
    };
  }
  if (isIf) {
    if (drive.some((d) => d !== 0)) throw new GraphError(messages.exportUnsupported(n.name, 'is an IF population with a constant drive'));
    return { type: 'IF', params: { ...common, r: popArray(n.gain, shape) } };
  }
  return {
    type: 'LIF',
    params: {
      ...common,
      tau: popArray(0, shape, (_, i) => dt / (1 - (k[i] as number))),
      r: popArray(0, shape, (_, i) => (gain[i] as number) / (1 - (k[i] as number))),
      v_leak: popArray(0, shape, (_, i) => (drive[i] as number) / (1 - (k[i] as number))),
    },
  };
}

/** Linear weights `[in, out]` -> NIR `(out, in)`, with inputs reordered when they come from a channels-last flatten. */
function linearWeight(n: LinearNode, hwcFlattenInput: readonly number[] | null): Float32Array {
  let w = n.weight;
  if (hwcFlattenInput) {
    const c = channelsOf(hwcFlattenInput);
    const hw = n.inFeatures / c;
    const re = new Float32Array(w.length);
    for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) re.set(w.subarray((p * c + ch) * n.outFeatures, (p * c + ch + 1) * n.outFeatures), (ch * hw + p) * n.outFeatures);
    w = re;
  }
  return transpose(w, n.inFeatures, n.outFeatures);
}

function nodeParams(n: GraphNode, dt: number, inShape: readonly number[], hwcFlattenInput: readonly number[] | null): { type: string; params: Record<string, Ds> } {
  switch (n.kind) {
    case 'input':
    case 'output':
      return { type: n.kind === 'input' ? 'Input' : 'Output', params: { shape: i64(hwcToChwShape(n.kind === 'output' ? inShape : n.shape)) } };
    case 'linear': {
      const weight = { data: linearWeight(n, hwcFlattenInput), shape: [n.outFeatures, n.inFeatures] };
      return n.bias ? { type: 'Affine', params: { weight, bias: { data: n.bias, shape: [n.outFeatures] } } } : { type: 'Linear', params: { weight } };
    }
    case 'conv': {
      if (n.padEnd && (n.padEnd[0] !== n.padding[0] || n.padEnd[1] !== n.padding[1])) throw new GraphError(messages.exportUnsupported(n.name, `has asymmetric padding (top/left ${n.padding.join(',')}, bottom/right ${n.padEnd.join(',')})`));
      const cinG = n.inChannels / n.groups;
      return {
        type: 'Conv2d',
        params: {
          weight: { data: hwioToOihw(n.weight, n.outChannels, cinG, n.kernel[0], n.kernel[1]), shape: [n.outChannels, cinG, n.kernel[0], n.kernel[1]] },
          bias: { data: n.bias ?? new Float32Array(n.outChannels), shape: [n.outChannels] },
          stride: i64([...n.stride]), padding: i64([...n.padding]), dilation: i64([...n.dilation]), groups: i64s(n.groups),
          input_shape: i64(inShape.slice(0, 2)),
        },
      };
    }
    case 'pool':
      if (n.padEnd && (n.padEnd[0] !== n.padding[0] || n.padEnd[1] !== n.padding[1])) throw new GraphError(messages.exportUnsupported(n.name, 'has asymmetric padding'));
      if (n.mode === 'max') throw new GraphError(messages.exportUnsupported(n.name, 'is a max pool'));
      return { type: n.mode === 'sum' ? 'SumPool2d' : 'AvgPool2d', params: { kernel_size: i64([...n.kernel]), stride: i64([...n.stride]), padding: i64([...n.padding]) } };
    case 'flatten':
      return { type: 'Flatten', params: { start_dim: i64s(0), end_dim: i64s(-1), input_type: i64(hwcToChwShape(inShape)) } };
    case 'scale':
      return { type: 'Scale', params: { scale: popArray(n.scale, inShape) } };
    case 'population':
      return populationParams(n, dt);
    case 'affine':
      throw new GraphError(messages.exportUnsupported(n.name, 'is an unfolded norm (per-channel affine)'));
  }
}

function write(g: Group, name: string, d: Ds, level: number): void {
  const shape = [...d.shape];
  if (typeof d.data === 'string') {
    g.create_dataset({ name, data: d.data });
    return;
  }
  const compress = level > 0 && shape.length > 0;
  g.create_dataset({ name, data: d.data, shape, ...(compress ? { compression: level, chunks: shape } : {}) });
}

/**
 * Writes a hardware graph as a NIR file (HDF5, the layout of modern `nir.write()`: `type` as a scalar
 * string dataset, gzip+chunked arrays, 0-d int64 scalars, `v_reset` present, a `metadata` group with
 * dt, T and, when uniform, `stbp_k`/`stbp_vth`). Channels-last tensors become channel-first.
 * An STBP population `u[t] = k*u[t-1]*(1-o[t-1]) + x[t]` becomes NIR LIF with `tau = dt/(1-k)`,
 * `r = tau/dt` (times its input gain), `v_leak = 0`, `v_reset = 0`, `v_threshold = Vth`; IF
 * populations (k = 1) become IF with `r = gain`. Several edges into a population (a residual add)
 * stay fan-in edges; an edge with a gain other than 1 gets a Scale node. NIR fires on `v > Vth`,
 * STBP on `u >= Vth`: they differ only when the potential equals the threshold exactly.
 * Max pooling, reset by subtraction and flattens feeding anything but a linear layer are errors.
 */
export async function exportNIR(graph: HardwareGraph, path: string, options: ExportNIROptions): Promise<void> {
  const dt = options.dt;
  if (typeof dt !== 'number' || !(dt > 0)) throw new GraphError(messages.badDt('exportNIR', dt));
  const { shapes } = validateGraph(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  const edges: [string, string][] = [];
  const extra: { name: string; type: string; params: Record<string, Ds> }[] = [];
  for (const e of graph.edges) {
    if ((e.gain ?? 1) === 1) edges.push([e.from, e.to]);
    else {
      const s = `${e.from}__scale__${e.to}`;
      extra.push({ name: s, type: 'Scale', params: { scale: popArray(e.gain as ParamArray, shapes.get(e.from)?.out ?? [1]) } });
      edges.push([e.from, s], [s, e.to]);
    }
  }
  const level = options.compression ?? 4;
  const lib = await h5();
  const f = new lib.File(path, 'w');
  try {
    f.create_dataset({ name: 'version', data: '1.0.7' });
    const top = f.create_group('node');
    top.create_dataset({ name: 'type', data: 'NIRGraph' });
    const nodes = top.create_group('nodes');
    for (const n of graph.nodes) {
      const inShape = shapes.get(n.name)?.in ?? [];
      let hwcFlatten: readonly number[] | null = null;
      if (n.kind === 'linear') {
        const src = graph.edges.filter((e) => e.to === n.name).map((e) => byName.get(e.from));
        const fl = src.find((s) => s?.kind === 'flatten');
        if (fl && fl.kind === 'flatten' && fl.order === 'hwc') hwcFlatten = shapes.get(fl.name)?.in ?? null;
      }
      if (n.kind === 'flatten' && n.order === 'hwc' && (shapes.get(n.name)?.in.length ?? 1) > 1) {
        for (const e of graph.edges) if (e.from === n.name && byName.get(e.to)?.kind !== 'linear') throw new GraphError(messages.exportUnsupported(n.name, `is a channels-last flatten feeding "${e.to}" (not a linear layer)`));
      }
      const { type, params } = nodeParams(n, dt, inShape, hwcFlatten);
      const g = nodes.create_group(n.name);
      g.create_dataset({ name: 'type', data: type });
      for (const [k, v] of Object.entries(params)) write(g, k, v, level);
    }
    for (const x of extra) {
      const g = nodes.create_group(x.name);
      g.create_dataset({ name: 'type', data: x.type });
      for (const [k, v] of Object.entries(x.params)) write(g, k, v, level);
    }
    top.create_dataset({ name: 'edges', data: edges.flat(), shape: [edges.length, 2] });
    const meta = top.create_group('metadata');
    meta.create_dataset({ name: 'dt', data: Float64Array.of(dt), shape: [] });
    const T = options.timesteps ?? (typeof graph.metadata.T === 'number' ? graph.metadata.T : undefined);
    if (T !== undefined) meta.create_dataset({ name: 'T', data: BigInt64Array.of(BigInt(T)), shape: [] });
    const pops = graph.nodes.filter((n): n is PopulationNode => n.kind === 'population');
    if (pops.length && pops.every((p) => isUniform(p.decay) && expandParam(p.decay, 1, 1)[0] === expandParam((pops[0] as PopulationNode).decay, 1, 1)[0])) {
      meta.create_dataset({ name: 'stbp_k', data: Float64Array.of(expandParam((pops[0] as PopulationNode).decay, 1, 1)[0] as number), shape: [] });
    }
    if (pops.length && pops.every((p) => isUniform(p.threshold) && expandParam(p.threshold, 1, 1)[0] === expandParam((pops[0] as PopulationNode).threshold, 1, 1)[0])) {
      meta.create_dataset({ name: 'stbp_vth', data: Float64Array.of(expandParam((pops[0] as PopulationNode).threshold, 1, 1)[0] as number), shape: [] });
    }
    meta.create_dataset({ name: 'note', data: 'written by @deepspike/neuromorphic exportNIR: STBP LIF as tau=dt/(1-k), r=tau/dt, v_leak=0, v_reset=0' });
  } finally {
    f.close();
  }
}
