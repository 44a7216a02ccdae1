import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, DeepSpikeError, Linear, type Layer } from '@deepspike/core';
import { messages } from '../messages.js';
import { isUniform } from '../graph/params.js';
import type { GraphNode, HardwareGraph, ParamArray } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';

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
  /** Dataset for `training.dataset.name` (evaluate and map need one). */
  readonly dataset?: string;
}

const first = (p: ParamArray): number => (typeof p === 'number' ? p : (p[0] as number));

/**
 * Turns a chain-shaped hardware graph (input -> conv/linear/pool/flatten/LIF/IF ... -> output) into a
 * DeepSpike model file (JSON) and the weights of its conv/linear layers in order, so an imported NIR
 * network can be evaluated and mapped. A population's input gain is moved into the weights before it;
 * a channel-first flatten becomes the DSL's channels-last flatten by permuting the next layer's rows.
 * @throws DeepSpikeError for fan-in (residual adds), per-channel thresholds or decays, recurrent
 *   edges, drives/reset values other than 0, current-based synapses or max pools
 */
export function graphToSpec(graph: HardwareGraph, options: GraphToSpecOptions): { spec: Record<string, unknown>; weights: SpecWeights[] } {
  const { shapes } = validateGraph(graph);
  const where = `import-nir "${graph.name}"`;
  const bad = (node: string, what: string, got: string, expected: string): DeepSpikeError => new DeepSpikeError(messages.badInput(where, node, what, got, expected));
  const inputs = graph.nodes.filter((n) => n.kind === 'input');
  if (inputs.length !== 1) throw bad('(graph)', 'has several inputs', String(inputs.length), '1');
  const chain: GraphNode[] = [];
  let cur: GraphNode = inputs[0] as GraphNode;
  const seen = new Set<string>();
  for (;;) {
    const outs = graph.edges.filter((e) => e.from === cur.name);
    const ins = graph.edges.filter((e) => e.to === cur.name);
    if (ins.length > 1) throw bad(cur.name, 'sums several inputs (a residual add or a recurrent edge)', `${ins.length} inputs`, 'a chain of layers (the DSL writes residual adds as residual blocks)');
    if (seen.has(cur.name)) throw bad(cur.name, 'is on a cycle', 'a recurrent edge', 'a feed-forward chain');
    seen.add(cur.name);
    chain.push(cur);
    if (cur.kind === 'output') break;
    if (outs.length !== 1) throw bad(cur.name, 'feeds several layers', `${outs.length} outputs`, 'a chain of layers');
    cur = graph.nodes.find((n) => n.name === outs[0]?.to) as GraphNode;
  }
  const layers: Record<string, unknown>[] = [];
  const weights: SpecWeights[] = [];
  let pendingPermute: readonly number[] | null = null;
  let last: GraphNode | null = null;
  for (const n of chain.slice(1, -1)) {
    const sh = shapes.get(n.name) as { in: readonly number[]; out: readonly number[] };
    if (n.kind === 'conv') {
      if (n.padEnd && (n.padEnd[0] !== n.padding[0] || n.padEnd[1] !== n.padding[1])) throw bad(n.name, 'has asymmetric padding', n.padEnd.join(','), 'symmetric padding');
      if (n.groups !== 1 || n.dilation[0] !== 1 || n.dilation[1] !== 1 || n.padding[0] !== n.padding[1]) throw bad(n.name, 'uses groups, dilation or unequal padding', `groups ${n.groups}, dilation ${n.dilation.join(',')}`, 'a plain conv2d');
      layers.push({ type: 'conv2d', name: `conv${weights.length}`, filters: n.outChannels, kernel: [...n.kernel], stride: [...n.stride], padding: n.padding[0], bias: true });
      weights.push({ kind: 'conv2d', kernel: n.weight, bias: n.bias ?? new Float32Array(n.outChannels) });
    } else if (n.kind === 'linear') {
      let w = n.weight;
      if (pendingPermute) {
        const c = pendingPermute[pendingPermute.length - 1] as number;
        const hw = n.inFeatures / c;
        const re = new Float32Array(w.length);
        for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) re.set(w.subarray((ch * hw + p) * n.outFeatures, (ch * hw + p + 1) * n.outFeatures), (p * c + ch) * n.outFeatures);
        w = re;
        pendingPermute = null;
      }
      layers.push({ type: 'linear', name: `fc${weights.length}`, units: n.outFeatures, bias: true });
      weights.push({ kind: 'linear', kernel: w, bias: n.bias ?? new Float32Array(n.outFeatures) });
    } else if (n.kind === 'flatten') {
      if (n.order === 'chw' && sh.in.length > 1) pendingPermute = sh.in;
      layers.push({ type: 'flatten' });
    } else if (n.kind === 'pool') {
      if (n.mode === 'max' || n.padding[0] !== 0 || n.padding[1] !== 0) throw bad(n.name, 'is a max or padded pool', n.mode, 'an unpadded sum/avg pool');
      layers.push({ type: 'pool', mode: n.mode, size: [...n.kernel], stride: [...n.stride] });
    } else if (n.kind === 'population') {
      for (const [k, p] of [['threshold', n.threshold], ['decay', n.decay], ['gain', n.gain]] as const) if (!isUniform(p)) throw bad(n.name, `has per-neuron ${k}s`, 'an array', 'one value per layer');
      if (first(n.drive) !== 0 || !isUniform(n.drive) || first(n.resetValue) !== 0 || !isUniform(n.resetValue) || n.synapse || n.adaptation || n.reset !== 'zero') {
        throw bad(n.name, 'has a leak drive, a reset value, a synaptic current, threshold adaptation or reset by subtraction', 'one of them', 'an STBP LIF/IF (v_leak = 0, v_reset = 0)');
      }
      const gain = first(n.gain);
      if (gain !== 1) {
        const prev = weights[weights.length - 1];
        if (!prev || last?.kind === 'population' || last === null || (last.kind !== 'conv' && last.kind !== 'linear')) throw bad(n.name, 'has an input gain with no conv/linear layer before it', String(gain), 'gain 1');
        weights[weights.length - 1] = { ...prev, kernel: Float32Array.from(prev.kernel, (x) => x * gain), bias: prev.bias ? Float32Array.from(prev.bias, (x) => x * gain) : null };
      }
      const decay = first(n.decay);
      layers.push(decay === 1 ? { type: 'neuron', kind: 'if', vth: first(n.threshold) } : { type: 'neuron', kind: 'lif', vth: first(n.threshold), tau: decay });
    } else throw bad(n.name, `is a ${n.kind} node`, n.kind, 'conv, linear, pool, flatten or a population');
    last = n;
  }
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

/**
 * Writes {@link graphToSpec}'s weights into a model built from its spec: the k-th conv/linear layer
 * (forward order) gets the k-th weights.
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
