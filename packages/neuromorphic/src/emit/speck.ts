/**
 * SynSense Speck / DYNAP-CNN chip configurations: the per-core fields sinabs' `DynapcnnNetwork`
 * writes into samna's `DynapcnnConfiguration.cnn_layers[core]` (sinabs
 * `backend/dynapcnn/chips/dynapcnn.py`, `get_dynapcnn_layer_config_dict` / `write_dynapcnn_layer_config`,
 * and the memory table of its `get_constraints`), as JSON a host script can copy into a samna
 * configuration field by field:
 *
 * - `dimensions`: `input_shape {size {x, y}, feature_count}`, `output_shape {...}`, `padding {x, y}`,
 *   `stride {x, y}`, `kernel_size` (square kernels only, as sinabs requires);
 * - `weights` `[out][in][x][y]` (PyTorch's `(out, in, kh, kw)` with the last two axes swapped, as sinabs
 *   does "to match samna convention"), `biases [out]`, `leak_enable` (any bias non-zero: the bias is
 *   added by the leak clock);
 * - `neurons_initial_value [out][x][y]` (zeros: the network starts from rest), `return_to_zero` (reset to 0,
 *   else subtract the threshold), `threshold_high` (the firing threshold), `threshold_low` (the lowest
 *   membrane, sinabs' default `-2^15`), `monitor_enable` (on for the output core);
 * - `destinations`: two per core, `{layer, enable, pooling, feature_shift}`: the next core, and the sum
 *   pooling applied to this core's spikes on the way (conv -> IF -> pool is one core, as in sinabs).
 *
 * A linear layer is the conv sinabs turns it into: a kernel the size of its input feature map (which must
 * be square), padding 0, on a 1 x 1 output. Checked, each with an error naming the node: at most 9
 * cores, each layer on a core whose kernel and neuron memories hold it (the vendor's formulas, see
 * {@link speckCoreMemory}; a maximum matching over the 9 cores' memories), at most 1024 biases per core,
 * 8-bit weights, 16-bit biases and thresholds, IF neurons (no leak, gain 1, one threshold per layer),
 * square kernels and square sum pools with stride = kernel. What the chip is not checked for here:
 * stride/padding ranges and the DVS input layer (the input enters the first core directly).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { messages } from '../messages.js';
import { expandParam, isUniform, sizeOf } from '../graph/params.js';
import { GraphError } from '../graph/shapes.js';
import type { ConvNode, GraphNode, HardwareGraph, LinearNode, ParamArray, PoolNode, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { matchLayersToCores, speckCoreMemory } from '../mapping/speck-match.js';
import type { CoreKind } from '../targets/profile.js';
import { SPECK_CORE_MEMORY } from '../targets/chips.js';
import type { QuantizedGraph } from '../quant/quantize.js';

/** Bias memory per core (sinabs: `bias_memory_size = [1024] * 9`). */
export const SPECK_BIAS_MEMORY = 1024;
/** The lowest membrane sinabs writes when the layer sets none (`min_v_mem = -2**15`). */
export const SPECK_THRESHOLD_LOW = -(2 ** 15);
const INT16_MAX = 2 ** 15 - 1;

/** `{x, y}` pairs as samna writes them. */
export interface SpeckXY { readonly x: number; readonly y: number }
/** One destination of a core. */
export interface SpeckDestination { readonly layer: number; readonly enable: boolean; readonly pooling: number; readonly feature_shift: number }
/** One used core of the configuration (samna `CNNLayerConfig` fields, plus DeepSpike's `core`, `nodes`). */
export interface SpeckCoreConfig {
  /** The core index in `cnn_layers`. */
  readonly core: number;
  /** The graph nodes this core computes (synapse, neurons, pool). */
  readonly nodes: readonly string[];
  readonly dimensions: {
    readonly input_shape: { readonly size: SpeckXY; readonly feature_count: number };
    readonly output_shape: { readonly size: SpeckXY; readonly feature_count: number };
    readonly padding: SpeckXY;
    readonly stride: SpeckXY;
    readonly kernel_size: number;
  };
  /** `[out][in][x][y]`. */
  readonly weights: number[][][][];
  readonly biases: number[];
  readonly leak_enable: boolean;
  readonly return_to_zero: boolean;
  readonly threshold_high: number;
  readonly threshold_low: number;
  readonly monitor_enable: boolean;
  /** `[out][x][y]`. */
  readonly neurons_initial_value: number[][][];
  readonly destinations: readonly [SpeckDestination, SpeckDestination];
  /** DeepSpike: the memory this core's layer needs, and what the core has (words). */
  readonly memory: { readonly kernel: number; readonly neuron: number; readonly bias: number; readonly kernelAvailable: number; readonly neuronAvailable: number };
}
/** A Speck configuration file. */
export interface SpeckConfig {
  readonly format: 'deepspike-speck-config';
  readonly version: 1;
  readonly chip: 'speck';
  readonly model: string;
  /** Where the field layout and the constraints come from. */
  readonly sources: readonly string[];
  /** Real value of one integer unit per core's membrane (the quantisation's state unit). */
  readonly stateUnits: Record<string, number>;
  /** The input core and the output core (whose spikes are the prediction). */
  readonly inputCore: number;
  readonly outputCore: number;
  /** All 9 cores, indexed by core id; `null` for unused cores (left at samna's defaults). */
  readonly cnn_layers: readonly (SpeckCoreConfig | null)[];
}

const refuse = (node: string, what: string, fix: string): never => {
  throw new GraphError(messages.speckUnsupported(node, what, fix));
};

function uniform(p: ParamArray, node: string, field: string): number {
  if (!isUniform(p)) refuse(node, `has a ${field} that differs between neurons`, 'map with --fold weights (Speck has one threshold per layer)');
  return expandParam(p, 1, 1)[0] as number;
}

function int16(v: number, node: string, what: string): number {
  if (!Number.isInteger(v) || v < -(2 ** 15) || v > INT16_MAX) refuse(node, `needs a ${what} of ${v}`, `requantise with fewer weight bits so ${what}s fit 16 bits`);
  return v;
}

/** Layer being assembled before its core is known. */
interface Pending {
  readonly nodes: string[];
  readonly inShape: [number, number, number];
  readonly outShape: [number, number, number];
  readonly kernel: number;
  readonly stride: [number, number];
  readonly padding: [number, number];
  /** Flat `(out, in, kh, kw)`. */
  readonly weight: Float64Array;
  readonly bias: number[];
  readonly threshold: number;
  readonly returnToZero: boolean;
  pooling: number;
  readonly need: { readonly kernel: number; readonly neuron: number };
}

/**
 * One core's layer: a conv or linear synapse (a linear one as a conv whose kernel is its input map)
 * into its IF population, with Speck's neuron, weight and bias checks; weights as `(out, in, kh, kw)`.
 */
function synapseLayer(syn: ConvNode | LinearNode, pop: PopulationNode, inShape: [number, number, number], outShape: [number, number, number], flatten: { order: 'hwc' | 'chw' } | null): Pending {
  if (pop.adaptation) refuse(pop.name, 'adapts its threshold', 'Speck neurons have a fixed threshold');
  if (pop.synapse) refuse(pop.name, 'has a current-based synapse', 'Speck has IF neurons only');
  const decay = uniform(pop.decay, pop.name, 'decay');
  if (decay !== 1) refuse(pop.name, `leaks (decay ${decay})`, 'train IF neurons (kind "if"): Speck neurons do not decay');
  if (uniform(pop.gain, pop.name, 'input gain') !== 1) refuse(pop.name, 'has an input gain other than 1', 'fold the gain into the weights');
  if (uniform(pop.resetValue, pop.name, 'reset value') !== 0) refuse(pop.name, 'resets to a value other than 0', 'reset to 0 or by subtraction');
  const threshold = int16(uniform(pop.threshold, pop.name, 'threshold'), pop.name, 'threshold');
  const drive = uniform(pop.drive, pop.name, 'drive');
  const cout = outShape[2];
  let weight: Float64Array;
  let kernel: number;
  let stride: [number, number] = [1, 1];
  let padding: [number, number] = [0, 0];
  if (syn.kind === 'conv') {
    if (flatten) refuse(syn.name, 'is a conv after a flatten', 'convs take maps');
    if (syn.kernel[0] !== syn.kernel[1]) refuse(syn.name, `has a ${syn.kernel.join('x')} kernel`, 'use square kernels (sinabs: "Kernel must have same height and width")');
    if (syn.groups !== 1 || syn.dilation[0] !== 1 || syn.dilation[1] !== 1) refuse(syn.name, 'is grouped or dilated', 'use plain convolutions');
    if (syn.padEnd && (syn.padEnd[0] !== syn.padding[0] || syn.padEnd[1] !== syn.padding[1])) refuse(syn.name, 'has asymmetric padding', 'use symmetric padding');
    kernel = syn.kernel[0];
    stride = [syn.stride[0], syn.stride[1]];
    padding = [syn.padding[0], syn.padding[1]];
    const [K, cin] = [kernel, syn.inChannels];
    weight = new Float64Array(cout * cin * K * K);
    for (let y = 0; y < K; y++) for (let x = 0; x < K; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
      weight[((o * cin + i) * K + y) * K + x] = syn.weight[((y * K + x) * cin + i) * cout + o] as number;
    }
  } else {
    const [H, W, C] = inShape;
    if (H !== W) refuse(syn.name, `reads a ${H}x${W} map`, 'a linear layer becomes a conv with a kernel the size of its input map, which must be square');
    kernel = H;
    weight = new Float64Array(cout * C * H * W);
    const order = flatten?.order ?? 'chw';
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const row = order === 'hwc' ? (y * W + x) * C + c : (c * H + y) * W + x;
      for (let o = 0; o < cout; o++) weight[((o * C + c) * H + y) * W + x] = syn.weight[row * cout + o] as number;
    }
  }
  for (const w of weight) if (!Number.isInteger(w) || w < -128 || w > 127) refuse(syn.name, `has a weight of ${w}`, 'quantise to 8-bit weights (map --bits 8)');
  const bias = Array.from({ length: cout }, (_, c) => int16((syn.bias ? (syn.bias[c % syn.bias.length] as number) : 0) + drive, syn.name, 'bias'));
  if (cout > SPECK_BIAS_MEMORY) refuse(syn.name, `has ${cout} output channels`, `at most ${SPECK_BIAS_MEMORY} per core (its bias memory)`);
  return {
    nodes: [syn.name, pop.name], inShape, outShape, kernel, stride, padding, weight, bias, threshold, returnToZero: pop.reset === 'zero', pooling: 1,
    need: speckCoreMemory(inShape[2], cout, kernel * kernel, outShape[0], outShape[1]),
  };
}

/** The samna-shaped configuration of the core `core` holding layer `p`, sending to `nextCore` (none: the output core). */
function coreConfig(p: Pending, core: number, nextCore: number | undefined, kind: CoreKind): SpeckCoreConfig {
  const off: SpeckDestination = { layer: 0, enable: false, pooling: 1, feature_shift: 0 };
  const [H, W, C] = p.inShape;
  const [h, w, f] = p.outShape;
  const K = p.kernel;
  const weights = Array.from({ length: f }, (_, o) => Array.from({ length: C }, (_, c) => Array.from({ length: K }, (_, x) => Array.from({ length: K }, (_, y) => p.weight[((o * C + c) * K + y) * K + x] as number))));
  return {
    core,
    nodes: p.nodes,
    dimensions: {
      input_shape: { size: { x: W, y: H }, feature_count: C },
      output_shape: { size: { x: w, y: h }, feature_count: f },
      padding: { x: p.padding[1], y: p.padding[0] },
      stride: { x: p.stride[1], y: p.stride[0] },
      kernel_size: K,
    },
    weights,
    biases: p.bias,
    leak_enable: p.bias.some((b) => b !== 0),
    return_to_zero: p.returnToZero,
    threshold_high: p.threshold,
    threshold_low: SPECK_THRESHOLD_LOW,
    monitor_enable: nextCore === undefined,
    neurons_initial_value: Array.from({ length: f }, () => Array.from({ length: w }, () => new Array<number>(h).fill(0))),
    destinations: [nextCore === undefined ? { ...off, pooling: p.pooling } : { layer: nextCore, enable: true, pooling: p.pooling, feature_shift: 0 }, off],
    memory: { kernel: p.need.kernel, neuron: p.need.neuron, bias: f, kernelAvailable: kind.kernelMemory, neuronAvailable: kind.neuronMemory },
  };
}

/** The core of each layer: Speck's cores by their kernel and neuron memories (an error names a layer none can hold). */
function assignCores(pending: readonly Pending[], cores: readonly CoreKind[], graphName: string): (number | null)[] {
  if (pending.length > cores.length) refuse(graphName, `needs ${pending.length} cores (one per layer: ${pending.map((p) => p.nodes[0]).join(', ')})`, `use at most ${cores.length} conv/linear layers (Speck has ${cores.length} cores)`);
  const assigned = matchLayersToCores(pending.map((p) => ({ layer: p.nodes[0] as string, kernelMemory: p.need.kernel, neuronMemory: p.need.neuron })), cores);
  assigned.forEach((core, i) => {
    if (core !== null) return;
    const p = pending[i] as Pending;
    const fitting = cores.filter((c) => p.need.kernel <= c.kernelMemory && p.need.neuron <= c.neuronMemory).map((c) => c.id);
    refuse(p.nodes[0] as string, `needs ${p.need.kernel} kernel-memory and ${p.need.neuron} neuron-memory words`,
      fitting.length === 0
        ? `no core holds that (largest: ${Math.max(...cores.map((c) => c.kernelMemory))} kernel, ${Math.max(...cores.map((c) => c.neuronMemory))} neuron words); use fewer channels or a smaller map`
        : `only cores ${fitting.join(', ')} hold it and other layers need them; shrink a layer`);
  });
  return assigned;
}

/**
 * The Speck configuration of a quantised graph (`common` scheme, at most 8 weight bits): see the module
 * comment for the fields and the checks.
 * @throws GraphError naming the node and what the chip cannot hold, and how to change the model
 */
export function speckConfig(q: QuantizedGraph, options: { readonly model?: string; readonly cores?: readonly CoreKind[] } = {}): SpeckConfig {
  const cores = options.cores ?? SPECK_CORE_MEMORY;
  const graph: HardwareGraph = q.graph;
  if (q.bits > 8) refuse(graph.name, `is quantised to ${q.bits}-bit weights`, 'map with --bits 8 or fewer (Speck stores 8-bit weights)');
  const { shapes } = validateGraph(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  const inputs = graph.nodes.filter((n) => n.kind === 'input');
  if (inputs.length !== 1) refuse(graph.name, `has ${inputs.length} inputs`, 'a Speck network has one input');
  const next = (name: string): GraphNode | null => {
    const out = graph.edges.filter((e) => e.from === name);
    if (out.length > 1) refuse(name, `feeds ${out.length} nodes (${out.map((e) => e.to).join(', ')})`, 'emit a chain: residual adds and fan-out need hand-set second destinations');
    const to = out[0] ? (byName.get(out[0].to) as GraphNode) : null;
    if (to && graph.edges.filter((e) => e.to === to.name).length > 1) refuse(to.name, 'sums several inputs (a residual add or a recurrent edge)', 'emit a chain of layers');
    if (out[0] && (out[0].gain ?? 1) !== 1) refuse(name, `reaches "${to?.name}" through an edge gain`, 'fold the gain into the weights');
    return to;
  };
  const box = (s: readonly number[]): [number, number, number] => (s.length === 3 ? [s[0] as number, s[1] as number, s[2] as number] : [1, 1, sizeOf(s)]);
  const pending: Pending[] = [];
  const units: Record<string, number> = {};
  const unitOf = new Map(q.layers.map((l) => [l.layer, l.scale[0] ?? 1] as const));
  let flatten: { order: 'hwc' | 'chw'; map: [number, number, number] } | null = null;
  let node = next((inputs[0] as GraphNode).name);
  while (node && node.kind !== 'output') {
    if (node.kind === 'pool') {
      const p = node as PoolNode;
      const last = pending[pending.length - 1];
      if (!last) refuse(p.name, 'pools the input', 'pool after the first layer (the DVS layer pooling is not emitted)');
      const [kh, kw] = p.kernel;
      const ok = p.mode !== 'max' && kh === kw && p.stride[0] === kh && p.stride[1] === kw && p.padding[0] === 0 && p.padding[1] === 0 && (!p.padEnd || (p.padEnd[0] === 0 && p.padEnd[1] === 0));
      if (!ok) refuse(p.name, `is a ${p.mode} pool ${kh}x${kw} with stride ${p.stride.join('x')} and padding ${p.padding.join(',')}`, 'use square sum/avg pools with stride = kernel and no padding (Speck pools by summing spikes on the way to the next core)');
      if ((last as Pending).pooling !== 1) refuse(p.name, 'follows another pool', 'merge the two pools into one');
      (last as Pending).pooling = kh;
      (last as Pending).nodes.push(p.name);
      node = next(p.name);
      continue;
    }
    if (node.kind === 'flatten') {
      flatten = { order: node.order, map: box(shapes.get(node.name)?.in ?? []) };
      node = next(node.name);
      continue;
    }
    if (node.kind !== 'conv' && node.kind !== 'linear') refuse(node.name, `is a ${node.kind} node where a Speck core expects a conv or linear synapse`, 'each core is a synapse followed by IF neurons');
    const syn = node as ConvNode | LinearNode;
    const target = next(syn.name);
    if (!target || target.kind !== 'population') {
      refuse(syn.name, `feeds ${target ? (target.kind === 'output' ? 'the output directly (a non-spiking membrane readout)' : `a ${target.kind} node`) : 'nothing'}`,
        'end the network with spiking neurons (readout "rate": a neuron layer after the last linear layer), since Speck reads its output as the last core\'s spikes');
    }
    const pop = target as PopulationNode;
    const inShape = syn.kind === 'conv' ? box(shapes.get(syn.name)?.in ?? []) : flatten ? flatten.map : box([syn.inFeatures]);
    const layer = synapseLayer(syn, pop, inShape, box(shapes.get(pop.name)?.in ?? []), flatten);
    if (syn.kind === 'linear') flatten = null;
    units[pop.name] = unitOf.get(pop.name) ?? 1;
    pending.push(layer);
    node = next(pop.name);
  }
  if (pending.length === 0) refuse(graph.name, 'has no synapse layer', 'a Speck network has at least one conv or linear layer');
  if ((pending[pending.length - 1] as Pending).pooling !== 1) refuse((pending[pending.length - 1] as Pending).nodes.at(-1) as string, 'pools the output', 'end with IF neurons (no pool after them)');
  const assigned = assignCores(pending, cores, graph.name);
  const layers: (SpeckCoreConfig | null)[] = cores.map(() => null);
  pending.forEach((p, i) => {
    const slot = cores.findIndex((c) => c.id === assigned[i]);
    layers[slot] = coreConfig(p, assigned[i] as number, assigned[i + 1] as number | undefined, cores[slot] as CoreKind);
  });
  return {
    format: 'deepspike-speck-config',
    version: 1,
    chip: 'speck',
    model: options.model ?? graph.name,
    sources: [
      'sinabs backend/dynapcnn/chips/dynapcnn.py: DynapcnnConfigBuilder.get_dynapcnn_layer_config_dict / write_dynapcnn_layer_config (field names, weight and state axis order, threshold_low default), get_constraints (kernel/neuron/bias memory per core)',
      'sinabs docs/speck/overview.md, "Memory Constraints and Network Sizing" (kernel and neuron memory formulas)',
      'samna DynapcnnConfiguration.cnn_layers[i].destinations[j].{layer, enable, pooling, feature_shift}',
    ],
    stateUnits: units,
    inputCore: assigned[0] as number,
    outputCore: assigned[assigned.length - 1] as number,
    cnn_layers: layers,
  };
}

/**
 * Writes {@link speckConfig} as JSON (atomically: a temporary file renamed into place).
 * @returns the configuration written
 */
export function exportSpeck(q: QuantizedGraph, path: string, options: { readonly model?: string; readonly cores?: readonly CoreKind[] } = {}): SpeckConfig {
  const config = speckConfig(q, options);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(config)}\n`);
  renameSync(tmp, path);
  return config;
}
