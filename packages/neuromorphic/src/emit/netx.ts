/**
 * Lava-DL netx network files: the HDF5 exchange format `lava.lib.dl.netx.hdf5.Network` loads onto
 * Loihi (https://github.com/lava-nc/lava-dl, `src/lava/lib/dl/netx/README.md`, "HDF5 description
 * protocol"). The file holds a `layer` group with one group per layer, numbered `0..n-1` from input
 * to output and connected in sequence; each has `type` and `shape` (channel-first, `(C, H, W)` or
 * `(N,)`, the reader reverses it to Lava's `(x, y, z)`), plus per type:
 *
 * - `input`: `neuron` (graded input: the first synapses receive the integer input values);
 * - `conv`: `inChannels`, `outChannels`, `kernelSize`, `stride`, `padding`, `dilation` (all `(y, x)`),
 *   `groups`, `weight` `(out, in/groups, kh, kw)` (PyTorch order), optional `bias`, `neuron`;
 * - `flatten`: `shape`; the next dense layer reads its input channel-first flattened;
 * - `dense`: `inFeatures`, `outFeatures`, `weight` `(out, in)`, optional `bias`, `neuron`.
 *
 * `neuron` is `{type: 'CUBA', iDecay, vDecay, vThMant, refDelay, gradedSpike}`: Loihi's current-based
 * LIF with 12-bit decays (`u <- u*(4096-iDecay)/4096 + input`, `v <- v*(4096-vDecay)/4096 + u + bias`,
 * spike and reset to 0 when `v > vThMant*2^6`; weights and biases enter as `value*2^6`).
 *
 * What the DeepSpike integer graph becomes:
 * - Weights, biases and thresholds of a layer are its state-unit integers divided by `2^min(e, 6)`
 *   (`e` the layer's Loihi weight exponent): for `e >= 6` netx's own `2^6` is exactly our state unit
 *   (weights `mantissa*2^(e-6)`, within Loihi's [-256, 254]); for `e < 6` the weights are the 8-bit
 *   mantissas and Loihi's unit is `2^(6-e)` times finer. Weights and thresholds stay exact (thresholds
 *   are multiples of 2^6); biases are rounded where not divisible (counted in {@link NetxSummary}).
 * - STBP LIF `u = k*u*(1-o) + x` is CUBA with `iDecay = 4096` (the current is this step's input) and
 *   `vDecay = 4096*(1-k)`; a CubaLIF synapse gives `iDecay = 4096*(1-synDecay)`. Loihi fires on
 *   `v > threshold`, STBP on `u >= threshold`: they differ only where the membrane equals it exactly.
 * - A sum/avg pool (kernel = stride, no padding, dividing the map) is folded into the synapses it
 *   feeds: into a conv as a `k`-times larger kernel with `k`-times the stride and padding, into a
 *   dense layer (through a flatten) as weights repeated over each window. netx loads no pool layers.
 * - A linear readout into the graph output becomes a dense layer of non-firing neurons
 *   (`vThMant = 2^17 - 1`, `vDecay = 0`): their membrane after T steps is the sum of the readout over
 *   T, whose argmax is the prediction.
 * Residual adds, recurrent edges, adaptation, subtractive reset, per-channel thresholds (fold tdBN
 * into the weights: `--fold weights`) and max pools are refused: netx holds a chain of these layers.
 */
import { rename } from 'node:fs/promises';
import { messages } from '../messages.js';
import { channelsOf, expandParam, isUniform, sizeOf } from '../graph/params.js';
import { GraphError } from '../graph/shapes.js';
import type { ConvNode, GraphNode, HardwareGraph, LinearNode, ParamArray, PoolNode, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { hwcToChwShape, hwioToOihw } from '../nir/layout.js';
import { h5 } from '../nir/h5.js';
import type { QuantizedGraph } from '../quant/quantize.js';

/** Loihi's 12-bit decay unit. */
export const NETX_DECAY_UNIT = 4096;
/** Largest threshold mantissa (17 bits); also the threshold of the readout's non-firing neurons. */
export const NETX_VTH_MANT_MAX = 2 ** 17 - 1;

/** One layer of a netx file, as written (arrays flat, row-major). */
export interface NetxLayer {
  readonly type: 'input' | 'conv' | 'flatten' | 'dense';
  /** Channel-first: `[C, H, W]` or `[N]`. */
  readonly shape: readonly number[];
  /** The graph node(s) it came from. */
  readonly from: readonly string[];
  readonly conv?: {
    readonly inChannels: number; readonly outChannels: number; readonly kernelSize: readonly [number, number];
    readonly stride: readonly [number, number]; readonly padding: readonly [number, number]; readonly dilation: readonly [number, number]; readonly groups: number;
  };
  readonly dense?: { readonly inFeatures: number; readonly outFeatures: number };
  /** conv `(out, in/groups, kh, kw)`, dense `(out, in)`. */
  readonly weight?: Int32Array;
  readonly bias?: Int32Array;
  readonly neuron?: { readonly iDecay: number; readonly vDecay: number; readonly vThMant: number; readonly refDelay: number; readonly gradedSpike: boolean };
  /** The readout's non-firing neurons (their membrane is the output). */
  readonly readout?: boolean;
}

/** What {@link netxLayers} produced and what it had to round. */
export interface NetxSummary {
  readonly layers: readonly NetxLayer[];
  /** Thresholds whose division by 2^e was not exact (rounded). */
  readonly thresholdsRounded: number;
  /** Biases whose division by 2^e was not exact (rounded). */
  readonly biasesRounded: number;
  /** Pools folded into the synapses after them. */
  readonly poolsFolded: readonly string[];
}

const refuse = (node: string, what: string, fix: string): never => {
  throw new GraphError(messages.netxUnsupported(node, what, fix));
};

/** The single value of a uniform parameter, or a refusal naming the node and field. */
function uniform(p: ParamArray, node: string, field: string, fix: string): number {
  if (!isUniform(p)) refuse(node, `has a ${field} that differs between neurons`, fix);
  return expandParam(p, 1, 1)[0] as number;
}

/** A sum pool with kernel = stride, no padding, on a map it divides exactly (foldable into the next synapse). */
function foldablePool(p: PoolNode, inShape: readonly number[]): number {
  const [kh, kw] = p.kernel;
  const ok = p.mode !== 'max' && kh === kw && p.stride[0] === kh && p.stride[1] === kw && p.padding[0] === 0 && p.padding[1] === 0 &&
    (!p.padEnd || (p.padEnd[0] === 0 && p.padEnd[1] === 0)) && inShape.length === 3 && (inShape[0] as number) % kh === 0 && (inShape[1] as number) % kw === 0;
  if (!ok) refuse(p.name, `is a ${p.mode} pool netx cannot fold (kernel ${p.kernel.join('x')}, stride ${p.stride.join('x')}, padding ${p.padding.join(',')}, input ${inShape.join('x')})`, 'use square sum/avg pools with stride = kernel on maps they divide');
  return kh;
}

/** A conv after a k x k sum pool as one conv on the unpooled map: kernel K*k, stride s*k, padding P*k, dilation 1. */
function foldPoolIntoConv(c: ConvNode, k: number): ConvNode {
  if (c.dilation[0] !== 1 || c.dilation[1] !== 1) refuse(c.name, 'is a dilated conv after a pool', 'remove the dilation or the pool');
  const [KH, KW] = c.kernel;
  const cin = c.inChannels / c.groups;
  const cout = c.outChannels;
  const w = new Float32Array(KH * k * KW * k * cin * cout);
  for (let y = 0; y < KH * k; y++) for (let x = 0; x < KW * k; x++) {
    const src = (Math.floor(y / k) * KW + Math.floor(x / k)) * cin * cout;
    w.set(c.weight.subarray(src, src + cin * cout), (y * KW * k + x) * cin * cout);
  }
  return { ...c, weight: w, kernel: [KH * k, KW * k], stride: [c.stride[0] * k, c.stride[1] * k], padding: [c.padding[0] * k, c.padding[1] * k], ...(c.padEnd ? { padEnd: [c.padEnd[0] * k, c.padEnd[1] * k] as const } : {}) };
}

/**
 * Dense weights `(out, in)` over the channel-first flatten of the map before the flatten, from a
 * linear layer on the (possibly pooled) map flattened in `order`.
 */
function denseWeight(l: LinearNode, map: readonly number[] | null, order: 'hwc' | 'chw', pool: number): Float64Array {
  const out = l.outFeatures;
  if (!map) {
    const w = new Float64Array(out * l.inFeatures);
    for (let i = 0; i < l.inFeatures; i++) for (let o = 0; o < out; o++) w[o * l.inFeatures + i] = l.weight[i * out + o] as number;
    return w;
  }
  const [H, W, C] = map as [number, number, number];
  const [h, wd] = [H / pool, W / pool];
  const inF = H * W * C;
  const w = new Float64Array(out * inF);
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const [py, px] = [Math.floor(y / pool), Math.floor(x / pool)];
    const row = order === 'hwc' ? (py * wd + px) * C + c : (c * h + py) * wd + px;
    const col = (c * H + y) * W + x; // channel-first flatten of the unpooled map: what netx's dense reads
    for (let o = 0; o < out; o++) w[o * inF + col] = l.weight[row * out + o] as number;
  }
  return w;
}

/** Integer division by 2^e, counting inexact ones. */
function descale(values: ArrayLike<number>, step: number, counter: { n: number }): Int32Array {
  return Int32Array.from(values as ArrayLike<number>, (v) => {
    const q = v / step;
    if (!Number.isInteger(q)) counter.n++;
    return Math.round(q);
  });
}

/**
 * The netx layers of a quantised graph (Loihi scheme): see the module comment for the mapping.
 * @throws GraphError naming the node and what netx cannot hold, and how to change the model
 * long-function: one case per quantised node kind, as in the module comment's mapping table, sharing the walk's state.
 */
export function netxLayers(q: QuantizedGraph): NetxSummary {
  const graph: HardwareGraph = q.graph;
  const { shapes } = validateGraph(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  // Divide by 2^min(e, 6): for e >= 6 Loihi's own 2^6 is our state unit (weights mant*2^(e-6), at
  // most 254 for e = 7; thresholds mant exactly); below, weights are the mantissas and the unit finer.
  const exps = new Map(q.layers.map((l) => [l.layer, 2 ** Math.min(l.weightExponent ?? 0, 6)] as const));
  const inputs = graph.nodes.filter((n) => n.kind === 'input');
  if (inputs.length !== 1) refuse(graph.name, `has ${inputs.length} inputs`, 'netx networks have exactly one input layer');
  const next = (name: string): GraphNode | null => {
    const out = graph.edges.filter((e) => e.from === name);
    if (out.length > 1) refuse(name, `feeds ${out.length} nodes (${out.map((e) => e.to).join(', ')})`, 'netx holds a chain of layers: no fan-out, residual adds or recurrent edges');
    const to = out[0] ? (byName.get(out[0].to) as GraphNode) : null;
    if (to && graph.edges.filter((e) => e.to === to.name).length > 1) refuse(to.name, 'sums several inputs (a residual add or a recurrent edge)', 'netx holds a chain of layers');
    if (out[0] && (out[0].gain ?? 1) !== 1) refuse(name, `reaches "${to?.name}" through an edge gain`, 'fold the gain into the weights');
    return to;
  };
  const layers: NetxLayer[] = [];
  const rounded = { thr: { n: 0 }, bias: { n: 0 } };
  const poolsFolded: string[] = [];
  const input = inputs[0] as GraphNode & { shape: readonly number[] };
  layers.push({ type: 'input', shape: hwcToChwShape(input.shape), from: [input.name], neuron: { iDecay: NETX_DECAY_UNIT, vDecay: NETX_DECAY_UNIT, vThMant: 0, refDelay: 1, gradedSpike: true } });
  let pool = 1;
  let flatten: { order: 'hwc' | 'chw'; map: readonly number[] } | null = null;
  let pooledFrom: string[] = [];
  let node = next(input.name);
  while (node && node.kind !== 'output') {
    if (node.kind === 'pool') {
      if (pool !== 1) refuse(node.name, 'follows another pool', 'merge the two pools');
      pool = foldablePool(node, shapes.get(node.name)?.in ?? []);
      pooledFrom = [node.name];
      poolsFolded.push(node.name);
      node = next(node.name);
      continue;
    }
    if (node.kind === 'flatten') {
      const map = shapes.get(node.name)?.in ?? [];
      const unpooled = map.length === 3 ? [(map[0] as number) * pool, (map[1] as number) * pool, map[2] as number] : map;
      flatten = map.length === 3 ? { order: node.order, map: unpooled } : null;
      layers.push({ type: 'flatten', shape: [sizeOf(unpooled)], from: [...pooledFrom, node.name] });
      node = next(node.name);
      continue;
    }
    if (node.kind !== 'conv' && node.kind !== 'linear') refuse(node.name, `is a ${node.kind} node where netx expects a conv or dense synapse`, 'netx layers are synapses each followed by neurons');
    const syn = node as ConvNode | LinearNode;
    const target = next(syn.name);
    if (!target || (target.kind !== 'population' && target.kind !== 'output')) refuse(syn.name, `feeds ${target ? `a ${target.kind} node` : 'nothing'}`, 'each netx synapse layer feeds neurons (or the graph output, as the readout)');
    const t = target as PopulationNode | GraphNode;
    const step = exps.get(t.name) ?? 1;
    const outShape = shapes.get(t.name)?.in ?? [];
    const C = channelsOf(outShape);
    let neuron: NetxLayer['neuron'];
    let drive = 0;
    if (t.kind === 'population') {
      const p = t as PopulationNode;
      const fix = 'map with --fold weights (one threshold per layer) and the plain STBP LIF';
      if (p.adaptation) refuse(p.name, 'adapts its threshold', 'netx CUBA neurons have a fixed threshold');
      if (p.reset !== 'zero' || uniform(p.resetValue, p.name, 'reset value', fix) !== 0) refuse(p.name, 'does not reset to 0', 'Loihi CUBA neurons reset to 0');
      if (uniform(p.gain, p.name, 'input gain', fix) !== 1 || (p.synapse && uniform(p.synapse.gain, p.name, 'synaptic gain', fix) !== 1)) refuse(p.name, 'has an input gain other than 1', 'fold the gain into the weights');
      const k = uniform(p.decay, p.name, 'decay', fix);
      const thr = uniform(p.threshold, p.name, 'threshold', fix);
      drive = uniform(p.drive, p.name, 'drive', fix);
      const vThMant = descale([thr], step, rounded.thr)[0] as number;
      if (vThMant > NETX_VTH_MANT_MAX) refuse(p.name, `needs a threshold mantissa of ${vThMant}`, `requantise so it fits ${NETX_VTH_MANT_MAX} (fewer weight bits)`);
      const iDecay = p.synapse ? Math.round((1 - uniform(p.synapse.decay, p.name, 'synaptic decay', fix)) * NETX_DECAY_UNIT) : NETX_DECAY_UNIT;
      neuron = { iDecay, vDecay: Math.round((1 - k) * NETX_DECAY_UNIT), vThMant, refDelay: 1, gradedSpike: false };
    } else {
      neuron = { iDecay: NETX_DECAY_UNIT, vDecay: 0, vThMant: NETX_VTH_MANT_MAX, refDelay: 1, gradedSpike: false };
    }
    const bias0 = syn.bias ? Array.from({ length: C }, (_, c) => (syn.bias?.[c % (syn.bias?.length ?? 1)] as number) + drive) : drive !== 0 ? new Array<number>(C).fill(drive) : null;
    const bias = bias0 ? descale(bias0, step, rounded.bias) : undefined;
    const from = [...pooledFrom, syn.name, t.name];
    if (syn.kind === 'conv') {
      if (flatten) refuse(syn.name, 'is a conv after a flatten', 'netx convs take maps');
      const c = pool > 1 ? foldPoolIntoConv(syn, pool) : syn;
      if (c.padEnd && (c.padEnd[0] !== c.padding[0] || c.padEnd[1] !== c.padding[1])) refuse(c.name, 'has asymmetric padding', "use symmetric padding (PyTorch's)");
      const cinG = c.inChannels / c.groups;
      const w = hwioToOihw(c.weight, c.outChannels, cinG, c.kernel[0], c.kernel[1]);
      layers.push({
        type: 'conv', shape: hwcToChwShape(outShape), from,
        conv: { inChannels: c.inChannels, outChannels: c.outChannels, kernelSize: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups },
        weight: descale(w, step, { n: 0 }), ...(bias ? { bias } : {}), neuron, ...(t.kind === 'output' ? { readout: true } : {}),
      });
    } else {
      const w = denseWeight(syn, flatten?.map ?? null, flatten?.order ?? 'chw', pool);
      const inFeatures = flatten ? sizeOf(flatten.map) : syn.inFeatures;
      if (!flatten && pool > 1) refuse(syn.name, 'follows a pool without a flatten', 'flatten before the linear layer');
      layers.push({
        type: 'dense', shape: [syn.outFeatures], from, dense: { inFeatures, outFeatures: syn.outFeatures },
        weight: descale(w, step, { n: 0 }), ...(bias ? { bias } : {}), neuron, ...(t.kind === 'output' ? { readout: true } : {}),
      });
      flatten = null;
    }
    pool = 1;
    pooledFrom = [];
    node = t.kind === 'output' ? null : next(t.name);
  }
  if (pool !== 1) refuse(pooledFrom[0] as string, 'is a pool at the end of the network', 'end with a synapse layer');
  return { layers, thresholdsRounded: rounded.thr.n, biasesRounded: rounded.bias.n, poolsFolded };
}

/**
 * Writes a quantised graph as a netx HDF5 file (`layer/0..n-1` as the module comment describes, and
 * `simulation/{Ts, tSample}`).
 * @param steps time steps per sample (`simulation/tSample`)
 * @returns what was written and rounded
 */
export async function exportNetx(q: QuantizedGraph, path: string, steps: number): Promise<NetxSummary> {
  if (!Number.isInteger(steps) || steps < 1) throw new GraphError(messages.netxUnsupported('simulation', `has tSample ${steps}`, 'pass a positive integer number of time steps'));
  const summary = netxLayers(q);
  const lib = await h5();
  const tmp = `${path}.tmp-${process.pid}`;
  const f = new lib.File(tmp, 'w');
  try {
    const top = f.create_group('layer');
    const i32 = (g: ReturnType<typeof top.create_group>, name: string, v: readonly number[] | Int32Array, shape = [v.length]): void => {
      g.create_dataset({ name, data: Int32Array.from(v), shape });
    };
    summary.layers.forEach((l, i) => {
      const g = top.create_group(String(i));
      g.create_dataset({ name: 'type', data: l.type });
      i32(g, 'shape', l.shape);
      if (l.conv) {
        i32(g, 'inChannels', [l.conv.inChannels], []);
        i32(g, 'outChannels', [l.conv.outChannels], []);
        i32(g, 'kernelSize', l.conv.kernelSize);
        i32(g, 'stride', l.conv.stride);
        i32(g, 'padding', l.conv.padding);
        i32(g, 'dilation', l.conv.dilation);
        i32(g, 'groups', [l.conv.groups], []);
        i32(g, 'weight', l.weight as Int32Array, [l.conv.outChannels, l.conv.inChannels / l.conv.groups, l.conv.kernelSize[0], l.conv.kernelSize[1]]);
      }
      if (l.dense) {
        i32(g, 'inFeatures', [l.dense.inFeatures], []);
        i32(g, 'outFeatures', [l.dense.outFeatures], []);
        i32(g, 'weight', l.weight as Int32Array, [l.dense.outFeatures, l.dense.inFeatures]);
      }
      if (l.bias) i32(g, 'bias', l.bias);
      if (l.neuron) {
        const n = g.create_group('neuron');
        n.create_dataset({ name: 'type', data: 'CUBA' });
        i32(n, 'iDecay', [l.neuron.iDecay], []);
        i32(n, 'vDecay', [l.neuron.vDecay], []);
        i32(n, 'vThMant', [l.neuron.vThMant], []);
        i32(n, 'refDelay', [l.neuron.refDelay], []);
        i32(n, 'gradedSpike', [l.neuron.gradedSpike ? 1 : 0], []);
      }
    });
    const sim = f.create_group('simulation');
    sim.create_dataset({ name: 'Ts', data: Int32Array.of(1), shape: [] });
    sim.create_dataset({ name: 'tSample', data: Int32Array.of(steps), shape: [] });
  } finally {
    f.close();
  }
  await rename(tmp, path);
  return summary;
}
