import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, DeepSpikeError, Linear, type Layer } from '@deepspike/core';
import { messages } from '../messages.js';
import { isUniform } from '../graph/params.js';
import { evaluationOrder } from '../graph/order.js';
import type { GraphNode, HardwareGraph, LinearNode, ParamArray, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { specLayerNames } from './spec-names.js';

/** Weights of one conv/linear layer of the spec, in layer order (tf.js layouts). */
export interface SpecWeights {
  readonly kind: 'conv2d' | 'linear';
  readonly kernel: Float32Array;
  readonly bias: Float32Array | null;
}

/** Options of {@link graphToSpec}. */
export interface GraphToSpecOptions {
  readonly name: string;
  readonly timesteps: number;
  /** `direct` (repeat a static sample) or `events` (default `events`: NIR graphs take spikes). */
  readonly encoding?: string;
  /** Dataset for `training.dataset.name` (only `--verify`, evaluate and train need one). */
  readonly dataset?: string;
}

const first = (p: ParamArray): number => (typeof p === 'number' ? p : (p[0] as number));
/** A gain within float32 rounding of 1 (e.g. r*dt/tau of an exported STBP LIF) is 1. */
const unit = (g: number): number => (Math.abs(g - 1) < 1e-6 ? 1 : g);
const scaled = (a: Float32Array, g: number): Float32Array => Float32Array.from(a, (x) => x * g);

/**
 * Turns a hardware graph into a DeepSpike model file (JSON) and the weights of its conv/linear
 * layers in layer order, so an imported NIR network can be evaluated, trained and mapped. Graphs, not
 * only chains: several edges into a node become its `inputs` (a residual add), a node read by several
 * others fans out, and a Linear/Affine that only carries a population's output back into it (NIR's
 * recurrent cycle, snnTorch RLeaky/RSynaptic) becomes that neuron layer's `recurrent` map.
 * Every layer is named after its NIR node (`lif1.lif` -> `lif1Lif`, `0` -> `n0`).
 *
 * Populations: LIF -> `lif` (tau = k), IF -> `if`, current-based -> `cubalif` (tau = k, alpha = the
 * synaptic decay). A population's input gain (`r*dt/tau`, `w_in*dt/tau_syn`) is moved into the
 * weights of the conv/linear layers feeding it (its recurrent map included); a LIF's constant drive
 * (`v_leak*dt/tau`) into their bias. A channel-first flatten becomes the DSL's channels-last flatten
 * by permuting the rows of the linear layers reading it.
 * @throws DeepSpikeError naming the node for what a model file cannot hold: per-neuron thresholds or
 *   decays, reset values other than 0, reset by subtraction, threshold adaptation, a drive on a
 *   current-based neuron, a gain with a non-weight input, a cycle that is not a recurrent map, max or
 *   padded pools, grouped/dilated convolutions, several inputs or outputs
 * long-function: one case per NIR node type, sharing the walk's state (the gain and the row permutation carried into the next layer).
 */
export function graphToSpec(graph: HardwareGraph, options: GraphToSpecOptions): { spec: Record<string, unknown>; weights: SpecWeights[] } {
  const { shapes } = validateGraph(graph);
  const where = `import-nir "${graph.name}"`;
  const bad = (node: string, what: string, got: string, expected: string): DeepSpikeError => new DeepSpikeError(messages.badInput(where, node, what, got, expected));
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const inputs = graph.nodes.filter((n) => n.kind === 'input');
  const outputs = graph.nodes.filter((n) => n.kind === 'output');
  if (inputs.length !== 1) throw bad('(graph)', 'has several inputs', String(inputs.length), '1');
  if (outputs.length !== 1) throw bad('(graph)', 'has several outputs', String(outputs.length), '1');
  for (const e of graph.edges) if (e.gain !== undefined && !(typeof e.gain === 'number' && e.gain === 1)) throw bad(e.to, `has an edge gain from "${e.from}"`, 'a gain other than 1', 'plain edges');
  const ins = (n: string): string[] => graph.edges.filter((e) => e.to === n).map((e) => e.from);
  const outs = (n: string): string[] => graph.edges.filter((e) => e.from === n).map((e) => e.to);

  // Recurrent maps: a linear node on a cycle that reads only a population and feeds only it back.
  const { order, backEdges } = evaluationOrder(graph);
  const recurrentOf = new Map<string, LinearNode>();
  for (const e of backEdges) {
    const from = byName.get(e.from) as GraphNode;
    const to = byName.get(e.to) as GraphNode;
    const isMap = (l: GraphNode, p: GraphNode): boolean => l.kind === 'linear' && p.kind === 'population' && ins(l.name).join() === p.name && outs(l.name).join() === p.name && l.inFeatures === l.outFeatures;
    if (isMap(from, to)) recurrentOf.set(to.name, from as LinearNode);
    else if (isMap(to, from)) recurrentOf.set(from.name, to as LinearNode);
    else throw bad(e.to, `is on a cycle through "${e.from}"`, 'a recurrent edge that is not a square Linear/Affine from a population back into it', 'a feed-forward graph, or a population fed back through one Linear/Affine');
  }
  const recMaps = new Set([...recurrentOf.values()].map((l) => l.name));
  const body = order.filter((n) => !recMaps.has(n) && byName.get(n)?.kind !== 'input' && byName.get(n)?.kind !== 'output');
  const names = specLayerNames(body);
  const nameOf = (n: string): string => (byName.get(n)?.kind === 'input' ? 'input' : (names.get(n) as string));
  const sourcesOf = (n: string): string[] => ins(n).filter((s) => !recMaps.has(s));
  const outSources = sourcesOf((outputs[0] as GraphNode).name);
  if (outSources.length !== 1 || outSources[0] !== body[body.length - 1]) throw bad((outputs[0] as GraphNode).name, 'is not fed by the last layer alone', `inputs ${outSources.join(', ') || 'none'}`, `exactly the last layer ("${body[body.length - 1] ?? ''}")`);

  const layers: Record<string, unknown>[] = [];
  const weights: SpecWeights[] = [];
  /** Index into `weights` of each conv/linear node, for gain and drive folding. */
  const weightAt = new Map<string, number>();
  let previous = (inputs[0] as GraphNode).name;
  for (const name of body) {
    const n = byName.get(name) as GraphNode;
    const sh = shapes.get(name) as { in: readonly number[]; out: readonly number[] };
    const src = sourcesOf(name);
    const base: Record<string, unknown> = { name: nameOf(name), ...(src.length === 1 && src[0] === previous ? {} : { inputs: src.map(nameOf) }) };
    if (src.length === 0) throw bad(name, 'has no input', 'no edge into it', 'at least one edge from the input or an earlier node');
    if (n.kind === 'conv') {
      if (n.padEnd && (n.padEnd[0] !== n.padding[0] || n.padEnd[1] !== n.padding[1])) throw bad(name, 'has asymmetric padding', n.padEnd.join(','), 'symmetric padding');
      if (n.groups !== 1 || n.dilation[0] !== 1 || n.dilation[1] !== 1 || n.padding[0] !== n.padding[1]) throw bad(name, 'uses groups, dilation or unequal padding', `groups ${n.groups}, dilation ${n.dilation.join(',')}`, 'a plain conv2d');
      layers.push({ type: 'conv2d', ...base, filters: n.outChannels, kernel: [...n.kernel], stride: [...n.stride], padding: n.padding[0], bias: true });
      weightAt.set(name, weights.length);
      weights.push({ kind: 'conv2d', kernel: n.weight, bias: n.bias ?? new Float32Array(n.outChannels) });
    } else if (n.kind === 'linear') {
      let w = n.weight;
      const flat = src.length === 1 ? byName.get(src[0] as string) : undefined;
      if (flat?.kind === 'flatten' && flat.order === 'chw') {
        const inShape = (shapes.get(flat.name) as { in: readonly number[] }).in;
        if (inShape.length > 1) {
          const c = inShape[inShape.length - 1] as number;
          const hw = n.inFeatures / c;
          const re = new Float32Array(w.length);
          for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) re.set(w.subarray((ch * hw + p) * n.outFeatures, (ch * hw + p + 1) * n.outFeatures), (p * c + ch) * n.outFeatures);
          w = re;
        }
      }
      layers.push({ type: 'linear', ...base, units: n.outFeatures, bias: true });
      weightAt.set(name, weights.length);
      weights.push({ kind: 'linear', kernel: w, bias: n.bias ?? new Float32Array(n.outFeatures) });
    } else if (n.kind === 'flatten') {
      if (n.order === 'chw' && sh.in.length > 1) {
        const readers = outs(name).map((r) => byName.get(r) as GraphNode);
        if (readers.some((r) => r.kind !== 'linear' || sourcesOf(r.name).length !== 1)) throw bad(name, 'is a channel-first flatten read by something other than a lone linear layer', readers.map((r) => r.kind).join(', '), 'linear layers, whose rows are permuted to the channels-last order');
      }
      layers.push({ type: 'flatten', ...base });
    } else if (n.kind === 'pool') {
      if (n.mode === 'max' || n.padding[0] !== 0 || n.padding[1] !== 0) throw bad(name, 'is a max or padded pool', n.mode, 'an unpadded sum/avg pool');
      layers.push({ type: 'pool', ...base, mode: n.mode, size: [...n.kernel], stride: [...n.stride] });
    } else if (n.kind === 'population') {
      layers.push({ ...population(n, src, recurrentOf.get(name), { byName, outs, weightAt, weights, bad }), ...base });
      const rec = recurrentOf.get(name);
      if (rec) {
        const g = unit(first(n.gain) * (n.synapse ? first(n.synapse.gain) : 1));
        weights.push({ kind: 'linear', kernel: scaled(rec.weight, g), bias: scaled(rec.bias ?? new Float32Array(rec.outFeatures), g) });
      }
    } else throw bad(name, `is a ${n.kind} node`, n.kind, 'conv, linear, pool, flatten or a population');
    previous = name;
  }
  const last = byName.get(body[body.length - 1] as string);
  const spec: Record<string, unknown> = {
    name: options.name,
    description: `Imported from NIR (${graph.name}) by deepspike import-nir; dt ${String(graph.metadata.dt)} s. NIR fires on v > Vth, DeepSpike on u >= Vth.`,
    input: { shape: [...(inputs[0] as { shape: readonly number[] }).shape], encoding: options.encoding ?? 'events' },
    timesteps: options.timesteps,
    defaults: { norm: { kind: 'none' } },
    layers,
    readout: last?.kind === 'population' ? 'rate' : 'membrane',
    ...(options.dataset ? { training: { dataset: { name: options.dataset } } } : {}),
  };
  return { spec, weights };
}

interface Folding {
  readonly byName: ReadonlyMap<string, GraphNode>;
  readonly outs: (n: string) => string[];
  readonly weightAt: ReadonlyMap<string, number>;
  readonly weights: SpecWeights[];
  readonly bad: (node: string, what: string, got: string, expected: string) => DeepSpikeError;
}

/** The neuron layer of a population; its input gain and drive are folded into the layers feeding it. */
function population(n: PopulationNode, src: readonly string[], rec: LinearNode | undefined, f: Folding): Record<string, unknown> {
  const { bad } = f;
  for (const [k, p] of [['threshold', n.threshold], ['decay', n.decay], ['gain', n.gain], ['drive', n.drive], ['resetValue', n.resetValue]] as const) if (!isUniform(p)) throw bad(n.name, `has per-neuron ${k}s`, 'an array', 'one value per layer');
  if (n.synapse && (!isUniform(n.synapse.decay) || !isUniform(n.synapse.gain))) throw bad(n.name, 'has per-neuron synaptic decays or gains', 'an array', 'one value per layer');
  if (first(n.resetValue) !== 0 || n.adaptation || n.reset !== 'zero') throw bad(n.name, 'has a reset value, threshold adaptation or reset by subtraction', 'one of them', 'reset to 0 (v_reset = 0)');
  const gain = unit(first(n.gain) * (n.synapse ? first(n.synapse.gain) : 1));
  const drive = first(n.drive);
  if (drive !== 0 && n.synapse) throw bad(n.name, 'is a current-based neuron with a leak drive (v_leak != 0)', String(drive), 'v_leak = 0 (a constant drive on the membrane has no place in the cubalif layer)');
  if (gain !== 1 || drive !== 0) {
    // Only weights that feed nothing else can carry the gain.
    const feeders = src.map((s) => f.byName.get(s) as GraphNode);
    const ok = feeders.every((s) => (s.kind === 'conv' || s.kind === 'linear') && f.outs(s.name).length === 1 && f.weightAt.has(s.name));
    if (!ok) throw bad(n.name, `has an input gain ${gain} or a drive ${drive} with an input that is not a conv/linear layer of its own`, `inputs ${src.join(', ')}`, 'gain 1 and drive 0, or conv/linear layers feeding only this population');
    feeders.forEach((s, i) => {
      const k = f.weightAt.get(s.name) as number;
      const w = f.weights[k] as SpecWeights;
      const bias = scaled(w.bias as Float32Array, gain);
      // u = k*u + g*x + d = k*u + g*(x + d/g): the drive joins the (first) feeding layer's bias.
      if (i === 0 && drive !== 0) for (let j = 0; j < bias.length; j++) bias[j] = (bias[j] as number) + drive;
      f.weights[k] = { ...w, kernel: scaled(w.kernel, gain), bias };
    });
  }
  const vth = first(n.threshold);
  const recurrent = rec ? { recurrent: { bias: rec.bias !== null } } : {};
  if (n.synapse) return { type: 'neuron', kind: 'cubalif', vth, tau: first(n.decay), options: { alpha: first(n.synapse.decay) }, ...recurrent };
  const decay = first(n.decay);
  return decay === 1 ? { type: 'neuron', kind: 'if', vth, ...recurrent } : { type: 'neuron', kind: 'lif', vth, tau: decay, ...recurrent };
}

/**
 * Writes {@link graphToSpec}'s weights into a model built from its spec: the k-th conv/linear layer
 * (forward order, a recurrent neuron's map at the neuron) gets the k-th weights.
 * @throws DeepSpikeError when the counts or shapes differ
 */
export function assignSpecWeights(model: Layer, weights: readonly SpecWeights[]): void {
  const layers: (Conv2d | Linear)[] = [];
  const walk = (l: Layer): void => {
    if (l instanceof Conv2d || l instanceof Linear) layers.push(l);
    for (const c of l.childLayers().values()) walk(c);
  };
  walk(model);
  if (layers.length !== weights.length) throw new DeepSpikeError(messages.badInput('assignSpecWeights', model.name, 'has a different number of conv/linear layers', String(layers.length), String(weights.length)));
  layers.forEach((l, i) => {
    const w = weights[i] as SpecWeights;
    if (l.kernel.size !== w.kernel.length) throw new DeepSpikeError(messages.badInput('assignSpecWeights', l.name, 'has a kernel of another size', String(l.kernel.size), String(w.kernel.length)));
    tf.tidy(() => {
      l.kernel.assign(tf.tensor(w.kernel, l.kernel.shape, 'float32'));
      if (l.bias && w.bias) l.bias.assign(tf.tensor(w.bias, l.bias.shape, 'float32'));
    });
  });
}
