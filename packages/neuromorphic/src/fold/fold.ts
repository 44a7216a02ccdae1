import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../messages.js';
import { channelsOf, expandParam } from '../graph/params.js';
import type { AffineNode, ConvNode, GraphEdge, GraphNode, HardwareGraph, LinearNode, ParamArray, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';

/** Where tdBN goes: into weights and biases, into per-channel thresholds, or thresholds where possible. */
export type FoldMode = 'weights' | 'thresholds' | 'auto';

/** What happened to one norm. */
export interface FoldRecord {
  readonly norm: string;
  readonly into: 'weights' | 'thresholds';
  /** The synaptic node whose weights/bias changed. */
  readonly synapse: string;
  /** The population whose thresholds changed (threshold folding). */
  readonly population?: string;
  readonly minGain: number;
  readonly maxGain: number;
}

/** Options of {@link foldGraph}. */
export interface FoldOptions {
  readonly mode: FoldMode;
  /** Whether the chip allows a threshold per neuron/channel (`auto` folds into weights otherwise). Default true. */
  readonly perNeuronThreshold?: boolean;
}

/** A norm that cannot be folded as asked. */
export class FoldError extends DeepSpikeError {}

const perChannel = (p: ParamArray, c: number, f: (x: number, ch: number) => number): Float64Array => {
  const e = expandParam(p, c, c);
  return Float64Array.from(e, (x, ch) => f(x, ch));
};

/**
 * Folds every per-channel affine node (inference tdBN, `y = g*x + h` with `g = lambda*alpha*Vth/sqrt(var+eps)`,
 * `h = beta - g*mean`) away:
 * - `weights`: `W' = g*W`, `b' = g*b + h` in the conv/linear before it;
 * - `thresholds`: keep W, `b' = b + h/g`, and divide the next population's threshold (and reset value,
 *   drive, threshold-adaptation step beta) by g: `Vth' = Vth/g` per channel. Needs g > 0 and the norm to be the population's only input;
 * - `auto`: thresholds where the chip allows per-neuron thresholds and those conditions hold, else weights.
 * The folded graph gives the same spikes (membranes scaled by 1/g in threshold mode).
 * @throws FoldError when thresholds are forced but g <= 0 or the population sums several inputs
 */
export function foldGraph(graph: HardwareGraph, options: FoldOptions): { graph: HardwareGraph; records: FoldRecord[] } {
  validateGraph(graph);
  let nodes: GraphNode[] = [...graph.nodes];
  let edges: GraphEdge[] = [...graph.edges];
  const records: FoldRecord[] = [];
  const allowThr = options.perNeuronThreshold ?? true;
  for (const a of graph.nodes.filter((n): n is AffineNode => n.kind === 'affine')) {
    const ins = edges.filter((e) => e.to === a.name);
    const outs = edges.filter((e) => e.from === a.name);
    const syn = nodes.find((n) => n.name === ins[0]?.from);
    if (ins.length !== 1 || !syn || (syn.kind !== 'conv' && syn.kind !== 'linear') || edges.filter((e) => e.from === syn.name).length !== 1) {
      throw new FoldError(messages.badInput('foldGraph', a.name, 'is not the only consumer of a single conv/linear layer', `${ins.length} inputs`, 'conv/linear -> norm'));
    }
    const g = a.scale;
    const h = a.shift;
    const C = g.length;
    const pop = outs.length === 1 ? nodes.find((n) => n.name === outs[0]?.to) : undefined;
    const popInputs = pop ? edges.filter((e) => e.to === pop.name).length : 0;
    const positive = Array.from(g).every((x) => x > 0);
    const canThr = pop?.kind === 'population' && popInputs === 1 && positive;
    let into: 'weights' | 'thresholds' = options.mode === 'thresholds' ? 'thresholds' : 'weights';
    if (options.mode === 'auto') into = canThr && allowThr ? 'thresholds' : 'weights';
    if (into === 'thresholds' && !canThr) {
      if (!positive) {
        const ch = Array.from(g).findIndex((x) => x <= 0);
        throw new FoldError(messages.thresholdFoldNeedsPositive(pop?.name ?? a.name, ch, g[ch] as number));
      }
      throw new FoldError(messages.thresholdFoldFanIn(pop?.name ?? a.name, popInputs));
    }
    const s = syn as ConvNode | LinearNode;
    const cout = s.kind === 'conv' ? s.outChannels : s.outFeatures;
    if (cout !== C) throw new FoldError(messages.badInput('foldGraph', a.name, 'has factors of the wrong length', String(C), String(cout)));
    const bias = s.bias ?? new Float32Array(C);
    let newSyn: ConvNode | LinearNode;
    if (into === 'weights') {
      const w = Float32Array.from(s.weight, (x, i) => x * (g[i % C] as number));
      newSyn = { ...s, weight: w, bias: Float32Array.from(bias, (b, c) => (g[c] as number) * b + (h[c] as number)) };
    } else {
      newSyn = { ...s, bias: Float32Array.from(bias, (b, c) => b + (h[c] as number) / (g[c] as number)) };
      const p = pop as PopulationNode;
      const pc = channelsOf(p.shape);
      const div = (x: ParamArray): ParamArray => {
        if (typeof x === 'number' || x.length === pc || x.length === 1) return perChannel(x, pc, (v, ch) => v / (g[ch % C] as number));
        return Float64Array.from(x, (v, i) => v / (g[i % C] as number));
      };
      // The membrane is scaled by 1/g, so is everything compared with it: thresholds and their adaptation steps.
      const np: PopulationNode = {
        ...p, threshold: div(p.threshold), resetValue: div(p.resetValue), drive: div(p.drive),
        ...(p.adaptation ? { adaptation: { beta: div(p.adaptation.beta), rho: p.adaptation.rho } } : {}),
      };
      nodes = nodes.map((n) => (n.name === p.name ? np : n));
    }
    nodes = nodes.filter((n) => n.name !== a.name).map((n) => (n.name === s.name ? newSyn : n));
    edges = edges.filter((e) => e.to !== a.name && e.from !== a.name);
    for (const o of outs) edges.push(o.gain === undefined ? { from: s.name, to: o.to } : { from: s.name, to: o.to, gain: o.gain });
    let minGain = Infinity;
    let maxGain = -Infinity;
    for (const x of g) {
      minGain = Math.min(minGain, x);
      maxGain = Math.max(maxGain, x);
    }
    records.push({ norm: a.name, into, synapse: s.name, ...(into === 'thresholds' ? { population: (pop as PopulationNode).name } : {}), minGain, maxGain });
  }
  return { graph: { ...graph, nodes, edges }, records };
}

/**
 * Turns average pools into sum pools, moving `1/(kh*kw)` into what consumes them (the weights of a
 * conv/linear, through flattens, or the gain of an identity edge), so integer hardware adds spikes.
 */
export function sumPools(graph: HardwareGraph): HardwareGraph {
  let nodes = [...graph.nodes];
  let edges = [...graph.edges];
  for (const p of graph.nodes) {
    if (p.kind !== 'pool' || p.mode !== 'avg') continue;
    const f = 1 / (p.kernel[0] * p.kernel[1]);
    const visit = (name: string): void => {
      for (const e of edges.filter((x) => x.from === name)) {
        const n = nodes.find((x) => x.name === e.to) as GraphNode;
        if (n.kind === 'conv' || n.kind === 'linear') nodes = nodes.map((x) => (x === n ? { ...n, weight: Float32Array.from(n.weight, (w) => w * f) } : x));
        else if (n.kind === 'flatten') visit(n.name);
        else edges = edges.map((x) => (x === e ? { ...e, gain: typeof (e.gain ?? 1) === 'number' ? ((e.gain as number | undefined) ?? 1) * f : Float64Array.from(e.gain as Float64Array, (v) => v * f) } : x));
      }
    };
    visit(p.name);
    nodes = nodes.map((x) => (x.name === p.name ? { ...p, mode: 'sum' as const } : x));
  }
  return { ...graph, nodes, edges };
}
