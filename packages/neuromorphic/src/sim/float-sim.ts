import { messages } from '../messages.js';
import { evaluationOrder } from '../graph/order.js';
import { expandParam, channelsOf, sizeOf } from '../graph/params.js';
import { GraphError } from '../graph/shapes.js';
import type { GraphNode, HardwareGraph, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { conv2d, flatten, linear, pool2d } from './dense-ops.js';

/** Per-step inputs: for each input node, T arrays of its size (channels-last), or one array repeated every step. */
export type StepInputs = Readonly<Record<string, readonly ArrayLike<number>[] | ArrayLike<number>>>;

/** Options of {@link simulateFloat}. */
export interface FloatSimOptions {
  /** Number of steps T (default: the length of the longest input sequence). */
  readonly steps?: number;
  /** Keep every output node's value at every step (default false: sums only). */
  readonly recordOutputs?: boolean;
  /** Keep per-neuron spike counts of every population (default false). */
  readonly recordNeuronCounts?: boolean;
  /** Keep every population's membrane potential (pre-reset) at every step (default false). */
  readonly recordMembranes?: boolean;
  /** Keep every population's spikes at every step (`spikeTrains`; default false). */
  readonly recordSpikeTrains?: boolean;
}

/** What a simulation produced. */
export interface SimResult {
  readonly steps: number;
  /** For each output node, the sum over time of what arrived there. */
  readonly outputSum: Record<string, Float64Array>;
  /** For each output node, its value per step (when recorded). */
  readonly outputs: Record<string, Float64Array[]>;
  /** Total spikes per population. */
  readonly spikeCounts: Record<string, number>;
  /** Spikes per neuron per population (when recorded). */
  readonly neuronCounts: Record<string, Float64Array>;
  /** Membrane potential per step per population (when recorded). */
  readonly membranes: Record<string, Float64Array[]>;
  /** Spikes (0/1) per step per population (when recorded). */
  readonly spikeTrains: Record<string, Uint8Array[]>;
}

interface PopState {
  readonly node: PopulationNode;
  readonly decay: Float64Array;
  readonly threshold: Float64Array;
  readonly gain: Float64Array;
  readonly drive: Float64Array;
  readonly resetValue: Float64Array;
  readonly synDecay: Float64Array | null;
  readonly synGain: Float64Array | null;
  readonly adaptBeta: Float64Array | null;
  readonly adaptRho: Float64Array | null;
  readonly v: Float64Array;
  readonly syn: Float64Array;
  /** Threshold adaptation a[t] of the current step (zero without adaptation). */
  readonly a: Float64Array;
}

/** Prepares a population's broadcast parameters and zero state. */
function popState(node: PopulationNode): PopState {
  const size = sizeOf(node.shape);
  const c = channelsOf(node.shape);
  const ex = (p: PopulationNode['decay']): Float64Array => expandParam(p, c, size);
  return {
    node,
    decay: ex(node.decay),
    threshold: ex(node.threshold),
    gain: ex(node.gain),
    drive: ex(node.drive),
    resetValue: ex(node.resetValue),
    synDecay: node.synapse ? ex(node.synapse.decay) : null,
    synGain: node.synapse ? ex(node.synapse.gain) : null,
    adaptBeta: node.adaptation ? ex(node.adaptation.beta) : null,
    adaptRho: node.adaptation ? ex(node.adaptation.rho) : null,
    v: new Float64Array(size),
    syn: new Float64Array(size),
    a: new Float64Array(size),
  };
}

/**
 * One step of a population in float64: `u = decay*v + gain*i + drive`, spike where `u >= theta`
 * (`>` when strict) with `theta = threshold + a`, then `v = resetValue` (or `u - theta`) where it
 * spiked, else `v = u`; with adaptation, `a <- rho*a + beta*o` for the next step.
 * @returns spikes (0/1) and the pre-reset potential
 */
function popStep(s: PopState, x: Float64Array): { spikes: Float64Array; u: Float64Array } {
  const n = s.v.length;
  const spikes = new Float64Array(n);
  const u = new Float64Array(n);
  const strict = s.node.strict;
  const sub = s.node.reset === 'subtract';
  for (let i = 0; i < n; i++) {
    let cur = x[i] as number;
    if (s.synDecay && s.synGain) {
      s.syn[i] = (s.synDecay[i] as number) * (s.syn[i] as number) + (s.synGain[i] as number) * cur;
      cur = s.syn[i] as number;
    }
    const ui = (s.decay[i] as number) * (s.v[i] as number) + (s.gain[i] as number) * cur + (s.drive[i] as number);
    u[i] = ui;
    const th = (s.threshold[i] as number) + (s.a[i] as number);
    const fire = strict ? ui > th : ui >= th;
    if (fire) {
      spikes[i] = 1;
      s.v[i] = sub ? ui - th : (s.resetValue[i] as number);
    } else s.v[i] = ui;
    if (s.adaptRho && s.adaptBeta) s.a[i] = (s.adaptRho[i] as number) * (s.a[i] as number) + (fire ? (s.adaptBeta[i] as number) : 0);
  }
  return { spikes, u };
}

/** The value a node produces from its summed input (populations handled by the caller). */
export function applyNode(node: GraphNode, x: Float64Array, inShape: readonly number[], outShape: readonly number[]): Float64Array {
  switch (node.kind) {
    case 'conv':
      return conv2d(node, x, inShape, outShape);
    case 'linear':
      return linear(node, x);
    case 'pool':
      return pool2d(node, x, inShape, outShape);
    case 'flatten':
      return flatten(node.order, x, inShape);
    case 'scale': {
      const s = expandParam(node.scale, channelsOf(inShape), x.length);
      return x.map((v, i) => v * (s[i] as number));
    }
    case 'affine': {
      const c = node.scale.length;
      return x.map((v, i) => (node.scale[i % c] as number) * v + (node.shift[i % c] as number));
    }
    default:
      return x;
  }
}

/** Reads step `t` of an input (a sequence, or one array used at every step). */
export function inputAt(src: readonly ArrayLike<number>[] | ArrayLike<number>, t: number): ArrayLike<number> | undefined {
  const seq = src as readonly ArrayLike<number>[];
  if (seq.length > 0 && typeof seq[0] === 'object') return seq[t];
  return src as ArrayLike<number>;
}

/**
 * The float reference simulator of a hardware graph: float64 arithmetic, every node each step in
 * evaluation order (signals cross the whole feed-forward graph within a step, as nir_check.py does),
 * recurrent back edges delayed by one step.
 */
export function simulateFloat(graph: HardwareGraph, inputs: StepInputs, options: FloatSimOptions = {}): SimResult {
  const { shapes } = validateGraph(graph);
  const { order, backEdges } = evaluationOrder(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  const incoming = new Map<string, { from: string; gain: Float64Array; back: boolean }[]>();
  for (const n of graph.nodes) incoming.set(n.name, []);
  for (const e of graph.edges) {
    const inShape = (shapes.get(e.to) as { in: readonly number[] }).in;
    incoming.get(e.to)?.push({ from: e.from, gain: expandParam(e.gain ?? 1, channelsOf(inShape), sizeOf(inShape)), back: backEdges.has(e) });
  }
  let steps = options.steps ?? 0;
  if (options.steps === undefined) for (const v of Object.values(inputs)) if (typeof (v as unknown[])[0] === 'object') steps = Math.max(steps, (v as unknown[]).length);
  const pops = new Map<string, PopState>();
  for (const n of graph.nodes) if (n.kind === 'population') pops.set(n.name, popState(n));
  const result: SimResult = { steps, outputSum: {}, outputs: {}, spikeCounts: {}, neuronCounts: {}, membranes: {}, spikeTrains: {} };
  for (const n of graph.nodes) {
    const size = sizeOf((shapes.get(n.name) as { out: readonly number[] }).out);
    if (n.kind === 'output') {
      result.outputSum[n.name] = new Float64Array(size);
      if (options.recordOutputs) result.outputs[n.name] = [];
    }
    if (n.kind === 'population') {
      result.spikeCounts[n.name] = 0;
      if (options.recordNeuronCounts) result.neuronCounts[n.name] = new Float64Array(size);
      if (options.recordMembranes) result.membranes[n.name] = [];
      if (options.recordSpikeTrains) result.spikeTrains[n.name] = [];
    }
  }
  let prev = new Map<string, Float64Array>();
  for (let t = 0; t < steps; t++) {
    const cur = new Map<string, Float64Array>();
    for (const name of order) {
      const node = byName.get(name) as GraphNode;
      const sh = shapes.get(name) as { in: readonly number[]; out: readonly number[] };
      let x: Float64Array;
      if (node.kind === 'input') {
        const src = inputs[name];
        const v = src === undefined ? undefined : inputAt(src, t);
        const size = sizeOf(node.shape);
        if (v !== undefined && v.length !== size) throw new GraphError(messages.simInput(`simulateFloat input "${name}"`, v.length, size));
        cur.set(name, v === undefined ? new Float64Array(size) : Float64Array.from(v));
        continue;
      }
      x = new Float64Array(sizeOf(sh.in));
      for (const e of incoming.get(name) ?? []) {
        const src = (e.back ? prev : cur).get(e.from);
        if (!src) continue;
        for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (e.gain[i] as number) * (src[i] as number);
      }
      if (node.kind === 'population') {
        const st = pops.get(name) as PopState;
        const { spikes, u } = popStep(st, x);
        let count = 0;
        const per = result.neuronCounts[name];
        for (let i = 0; i < spikes.length; i++) {
          if (spikes[i]) {
            count++;
            if (per) per[i] = (per[i] as number) + 1;
          }
        }
        result.spikeCounts[name] = (result.spikeCounts[name] as number) + count;
        result.membranes[name]?.push(u);
        result.spikeTrains[name]?.push(Uint8Array.from(spikes));
        cur.set(name, spikes);
        continue;
      }
      const y = applyNode(node, x, sh.in, sh.out);
      if (node.kind === 'output') {
        const acc = result.outputSum[name] as Float64Array;
        for (let i = 0; i < y.length; i++) acc[i] = (acc[i] as number) + (y[i] as number);
        result.outputs[name]?.push(y);
      }
      cur.set(name, y);
    }
    prev = cur;
  }
  return result;
}
