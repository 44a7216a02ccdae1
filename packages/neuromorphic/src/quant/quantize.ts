import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../messages.js';
import { channelsOf, expandParam, sizeOf } from '../graph/params.js';
import type { ConvNode, GraphEdge, GraphNode, HardwareGraph, LinearNode, ParamArray, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { sumPools } from '../fold/fold.js';

/** One scale per layer, one per output channel, or Loihi's shared-exponent mantissas. */
export type QuantScheme = 'common' | 'per-channel' | 'loihi';

/** Options of {@link quantizeGraph}. */
export interface QuantOptions {
  /** Weight bits (signed), 2..16. */
  readonly bits: number;
  readonly scheme: QuantScheme;
  /** Membrane state bits (signed); biases saturate to this range. Default 24. */
  readonly stateBits?: number;
  /** Fixed-point bits of the decay factor: `k -> round(k*2^bits)/2^bits`. Default 12. */
  readonly decayBits?: number;
  /** Bits of analog graph inputs (`x -> round(x/inputMax*(2^bits-1))`). Default 8. */
  readonly inputBits?: number;
  /** Largest analog input value. Default 1. */
  readonly inputMax?: number;
}

/** Per-layer quantisation report. */
export interface LayerQuant {
  readonly layer: string;
  /** State unit(s): real value of one integer unit of membrane (one per channel for per-channel). */
  readonly scale: number[];
  /** Loihi: the weight exponent (weights are mantissa x 2^exponent). */
  readonly weightExponent?: number;
  readonly weightSaturated: number;
  readonly biasSaturated: number;
  readonly gainSaturated: number;
  /** Largest integer (resting) threshold and the (unsigned) bits it needs. */
  readonly thresholdMax: number;
  readonly thresholdBits: number;
  /**
   * Largest integer threshold a neuron can reach, `threshold + a*` with the quantised adaptation, where
   * `a*` is the limit of `a <- trunc(rho*a) + beta` from 0 (a spike every step; at most `beta/(1-rho)`);
   * `thresholdMax` without adaptation; `Infinity` when rho rounds to 1 (the threshold grows without bound).
   */
  readonly thresholdReach: number;
  /** Unsigned bits `thresholdReach` needs (what the design-rule check compares with the chip's threshold bits). */
  readonly thresholdReachBits: number;
  /** Distinct non-zero integer weight values (TrueNorth's axon-type rule). */
  readonly distinctWeights: number;
}

/** A graph with integer weights, biases, thresholds (in state units) and dyadic decays. */
export interface QuantizedGraph {
  readonly graph: HardwareGraph;
  readonly layers: LayerQuant[];
  readonly bits: number;
  readonly scheme: QuantScheme;
  readonly stateBits: number;
  readonly decayBits: number;
  /** Real value of one integer unit of analog input. */
  readonly inputUnit: number;
}

/** Bad quantisation request. */
export class QuantError extends DeepSpikeError {}

/**
 * The highest value of the integer adaptation `a <- trunc(rho*a) + beta*o` (from `a = 0`, integer
 * `beta > 0`, dyadic `rho` in [0, 1)): the least fixed point of `a = floor(rho*a) + beta`, which a spike
 * every step climbs to and no spike train exceeds. `a - floor(rho*a)` grows by 0 or 1 per unit of `a`,
 * so the least `a` where it reaches `beta` is found by bisection below `ceil(beta/(1-rho))`.
 */
export function adaptationLimit(beta: number, rho: number): number {
  let lo = 0;
  let hi = Math.ceil(beta / (1 - rho));
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid - Math.floor(rho * mid) >= beta) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Unsigned bits of a (positive) threshold. */
const bitsFor = (x: number): number => (x <= 0 ? 1 : Math.ceil(Math.log2(x + 1)));

/**
 * Quantises a folded graph (no norm nodes left) for integer hardware. Every population (and readout)
 * gets a state unit `s` (one per layer, or per output channel) from the largest |weight x input unit|
 * over all its inputs, so `W_int = round(W*u/s)` uses the full `2^(bits-1)-1` range; biases,
 * thresholds, threshold-adaptation steps, reset values, drives and identity-edge gains use the same
 * unit; decays (membrane, synapse, adaptation) become dyadic `round(k*2^decayBits)/2^decayBits`.
 * With threshold adaptation the unit is coarsened where needed so the highest threshold a neuron can
 * reach, `threshold + beta/(1-rho)`, fits the state range (a saturated membrane could not reach it). Loihi: weights are
 * `mantissa x 2^e` with a per-layer exponent `e` in [0, 7] chosen as large as the threshold allows (17-bit
 * mantissa, and at most a quarter of the state range so the membrane has headroom); thresholds are multiples
 * of 2^6 (`vth = mant x 2^6`). Avg pools become sum pools first.
 * @throws QuantError for bits out of [2, 16] or an unfolded norm
 * long-function: the unit choice, the Loihi exponent and the threshold coarsening read and write the same per-population tables in one pass; splitting it needs those tables as a type of their own first.
 */
export function quantizeGraph(graph: HardwareGraph, options: QuantOptions): QuantizedGraph {
  const bits = options.bits;
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new QuantError(messages.badBits('quantizeGraph', bits, 2, 16));
  const stateBits = options.stateBits ?? 24;
  const decayBits = options.decayBits ?? 12;
  const inputBits = options.inputBits ?? 8;
  if (!Number.isInteger(inputBits) || inputBits < 1 || inputBits > 16) throw new QuantError(messages.badBits('quantizeGraph input', inputBits, 1, 16));
  const g0 = sumPools(graph);
  for (const n of g0.nodes) if (n.kind === 'affine') throw new QuantError(messages.badInput('quantizeGraph', n.name, 'is an unfolded norm', 'a norm node', 'a folded graph (run foldGraph first)'));
  const { shapes } = validateGraph(g0);
  const qmax = 2 ** (bits - 1) - 1;
  const smax = 2 ** (stateBits - 1) - 1;
  const inputUnit = (options.inputMax ?? 1) / (2 ** inputBits - 1);
  const byName = new Map(g0.nodes.map((n) => [n.name, n] as const));
  const fromInput = (name: string): boolean => {
    const n = byName.get(name);
    if (!n) return false;
    if (n.kind === 'input') return true;
    if (n.kind === 'pool' || n.kind === 'flatten' || n.kind === 'scale') return g0.edges.some((e) => e.to === name && fromInput(e.from));
    return false;
  };
  const nodes = new Map<string, GraphNode>(g0.nodes.map((n) => [n.name, n]));
  let edges: GraphEdge[] = [...g0.edges];
  const layers: LayerQuant[] = [];
  for (const t of g0.nodes) {
    if (t.kind !== 'population' && t.kind !== 'output') continue;
    const ins = g0.edges.filter((e) => e.to === t.name);
    const C = channelsOf(shapes.get(t.name)?.in ?? [1]);
    const syn: { node: ConvNode | LinearNode; u: number; edge: GraphEdge }[] = [];
    const ids: { edge: GraphEdge; u: number }[] = [];
    for (const e of ins) {
      const src = byName.get(e.from) as GraphNode;
      const gain = expandParam(e.gain ?? 1, C, C);
      if (src.kind === 'conv' || src.kind === 'linear') syn.push({ node: src, u: g0.edges.some((x) => x.to === src.name && fromInput(x.from)) ? inputUnit : 1, edge: e });
      else ids.push({ edge: e, u: (fromInput(e.from) ? inputUnit : 1) * Math.max(...Array.from(gain, Math.abs)) });
    }
    if (t.kind === 'output' && syn.length === 0) continue;
    const maxAbs = new Float64Array(C);
    for (const s of syn) for (let i = 0; i < s.node.weight.length; i++) maxAbs[i % C] = Math.max(maxAbs[i % C] as number, Math.abs((s.node.weight[i] as number) * s.u));
    for (const d of ids) for (let c = 0; c < C; c++) maxAbs[c] = Math.max(maxAbs[c] as number, Math.abs(d.u));
    const layerMax = Math.max(...Array.from(maxAbs), 1e-30);
    let scale: Float64Array;
    let exponent: number | undefined;
    const thr = t.kind === 'population' ? expandParam(t.threshold, C, C) : new Float64Array(C);
    // The largest threshold a neuron can reach: with adaptation, a[t] <= beta/(1-rho) (a spike every step).
    // It must stay inside the membrane's state range, or the saturated membrane could never reach it.
    const thetaMax = Float64Array.from(thr);
    if (t.kind === 'population' && t.adaptation) {
      const beta = expandParam(t.adaptation.beta, C, C);
      const rho = expandParam(t.adaptation.rho, C, C);
      for (let c = 0; c < C; c++) thetaMax[c] = (thr[c] as number) + (beta[c] as number) / (1 - (rho[c] as number));
    }
    // A constant input (bias + drive) settles the membrane at (bias + drive)/(1 - k) without any spike: a
    // large negative one (tdBN's shift folded into the bias) would clip at the state range, and a clipped
    // membrane recovers sooner than the float one, so the integer layer fires more. That level must fit too.
    const range = Float64Array.from(thetaMax, Math.abs);
    if (t.kind === 'population') {
      const k = expandParam(t.decay, C, C);
      const drive = expandParam(t.drive, C, C);
      const gain = expandParam(t.gain, C, C);
      for (let c = 0; c < C; c++) {
        let b = drive[c] as number;
        for (const s of syn) if (s.node.bias) b += (gain[c] as number) * (s.node.bias[c % s.node.bias.length] as number);
        const kc = k[c] as number;
        if (kc < 1) range[c] = Math.max(range[c] as number, Math.abs(b) / (1 - kc));
      }
    }
    // The largest membrane any input can drive: (sum |W| * largest input + |bias|) / (1 - k) (one step of
    // the sum for IF). Loihi's exponent only moves the unit, not the mantissa's precision, so it keeps this within range.
    let worst = 0;
    if (t.kind === 'population') {
      const k = expandParam(t.decay, C, C);
      const sumAbs = new Float64Array(C);
      for (const s of syn) {
        const orig = graph.nodes.find((n) => n.name === s.node.name) as ConvNode | LinearNode;
        const xmax = s.u === 1 ? 1 : (options.inputMax ?? 1);
        for (let i = 0; i < orig.weight.length; i++) sumAbs[i % C] = (sumAbs[i % C] as number) + Math.abs(orig.weight[i] as number) * xmax;
      }
      for (const d of ids) for (let c = 0; c < C; c++) sumAbs[c] = (sumAbs[c] as number) + d.u * (fromInput(d.edge.from) ? (options.inputMax ?? 1) / inputUnit : 1);
      for (let c = 0; c < C; c++) {
        const kc = k[c] as number;
        const level = (sumAbs[c] as number) + (range[c] as number) * (kc < 1 ? 1 - kc : 0);
        worst = Math.max(worst, kc < 1 ? level / (1 - kc) : level);
      }
    }
    if (options.scheme === 'per-channel') scale = Float64Array.from(maxAbs, (m, c) => Math.max((m > 0 ? m : layerMax) / qmax, (range[c] as number) / smax));
    else if (options.scheme === 'common') scale = new Float64Array(C).fill(Math.max(layerMax / qmax, Math.max(...Array.from(range)) / smax));
    else {
      // Loihi: choose the largest weight exponent whose threshold mantissa (thresholdBits-6 bits) still fits
      const thrMantMax = 2 ** 17 - 1;
      exponent = 0;
      for (let e = 7; e >= 0; e--) {
        const s = layerMax / (qmax * 2 ** e);
        const t = Math.max(...Array.from(thetaMax, Math.abs)) / s;
        // the threshold mantissa must fit, and the threshold and the resting level of a constant input must
        // leave the membrane headroom (a quarter of the state range)
        if (t / 64 <= thrMantMax && Math.max(t, Math.max(...Array.from(range)) / s) <= 2 ** (stateBits - 2) && worst / s <= smax) {
          exponent = e;
          break;
        }
      }
      scale = new Float64Array(C).fill(layerMax / (qmax * 2 ** exponent));
    }
    const step = exponent === undefined ? 1 : 2 ** exponent;
    let wSat = 0;
    let bSat = 0;
    let gSat = 0;
    const distinct = new Set<number>();
    const qW = (x: number, c: number, u: number): number => {
      let m = Math.round((x * u) / (scale[c] as number) / step);
      if (Math.abs(m) > qmax) {
        wSat++;
        m = Math.sign(m) * qmax;
      }
      if (m !== 0) distinct.add(m);
      return m * step;
    };
    const qState = (x: number, c: number, count: () => void): number => {
      let v = Math.round(x / (scale[c] as number));
      if (Math.abs(v) > smax) {
        count();
        v = Math.sign(v) * smax;
      }
      return v;
    };
    for (const s of syn) {
      const w = Float32Array.from(s.node.weight, (x, i) => qW(x, i % C, s.u));
      const bias = s.node.bias ? Float32Array.from(s.node.bias, (b, c) => qState(b, c, () => bSat++)) : null;
      nodes.set(s.node.name, { ...s.node, weight: w, bias });
    }
    for (const d of ids) {
      const gain = expandParam(d.edge.gain ?? 1, C, C);
      const u = fromInput(d.edge.from) ? inputUnit : 1;
      const q = Float64Array.from(gain, (gv, c) => {
        let m = Math.round((gv * u) / (scale[c] as number) / step);
        if (Math.abs(m) > qmax) {
          gSat++;
          m = Math.sign(m) * qmax;
        }
        return m * step;
      });
      const compact: ParamArray = q.every((x) => x === q[0]) ? (q[0] as number) : q;
      edges = edges.map((e) => (e === d.edge ? { ...e, gain: compact } : e));
    }
    let thresholdMax = 0;
    let thresholdReach = 0;
    if (t.kind === 'population') {
      const size = sizeOf(t.shape);
      const thrStep = options.scheme === 'loihi' ? 64 : 1;
      const perNeuron = (p: ParamArray, f: (x: number, c: number) => number): ParamArray => {
        const e = expandParam(p, C, typeof p === 'number' || p.length <= C ? C : size);
        const out = Float64Array.from(e, (x, i) => f(x, i % C));
        return out.every((x) => x === out[0]) ? (out[0] as number) : out;
      };
      const threshold = perNeuron(t.threshold, (x, c) => Math.max(1, Math.round(x / (scale[c] as number) / thrStep) * thrStep));
      thresholdMax = Math.max(...Array.from(expandParam(threshold, C, C)));
      const pop: PopulationNode = {
        ...t,
        threshold,
        resetValue: perNeuron(t.resetValue, (x, c) => Math.round(x / (scale[c] as number))),
        drive: perNeuron(t.drive, (x, c) => Math.round(x / (scale[c] as number))),
        decay: perNeuron(t.decay, (k) => Math.round(k * 2 ** decayBits) / 2 ** decayBits),
        gain: perNeuron(t.gain, (x) => Math.round(x)),
        ...(t.synapse ? { synapse: { decay: perNeuron(t.synapse.decay, (k) => Math.round(k * 2 ** decayBits) / 2 ** decayBits), gain: perNeuron(t.synapse.gain, (x) => Math.round(x)) } } : {}),
        // adaptation: beta in state units (on the threshold's grid), rho dyadic like the membrane decay
        ...(t.adaptation
          ? { adaptation: { beta: perNeuron(t.adaptation.beta, (x, c) => Math.round(x / (scale[c] as number) / thrStep) * thrStep), rho: perNeuron(t.adaptation.rho, (k) => Math.round(k * 2 ** decayBits) / 2 ** decayBits) } }
          : {}),
      };
      nodes.set(t.name, pop);
      thresholdReach = thresholdMax;
      if (pop.adaptation) {
        const all = [pop.threshold, pop.adaptation.beta, pop.adaptation.rho];
        const n = Math.max(...all.map((p) => (typeof p === 'number' ? 1 : p.length)));
        const L = n <= C ? C : size;
        const [th, beta, rho] = all.map((p) => expandParam(p, C, L)) as [Float64Array, Float64Array, Float64Array];
        for (let i = 0; i < L; i++) {
          const b = beta[i] as number;
          const rise = b === 0 ? 0 : (rho[i] as number) >= 1 ? Infinity : adaptationLimit(b, rho[i] as number);
          thresholdReach = Math.max(thresholdReach, (th[i] as number) + rise);
        }
      }
    }
    layers.push({
      layer: t.name, scale: options.scheme === 'per-channel' ? Array.from(scale) : [scale[0] as number],
      ...(exponent === undefined ? {} : { weightExponent: exponent }),
      weightSaturated: wSat, biasSaturated: bSat, gainSaturated: gSat, thresholdMax, thresholdBits: bitsFor(thresholdMax), thresholdReach, thresholdReachBits: bitsFor(thresholdReach), distinctWeights: distinct.size,
    });
  }
  return {
    graph: { ...g0, nodes: g0.nodes.map((n) => nodes.get(n.name) as GraphNode), edges, metadata: { ...g0.metadata, quantized: { bits, scheme: options.scheme, stateBits, decayBits, inputUnit } } },
    layers, bits, scheme: options.scheme, stateBits, decayBits, inputUnit,
  };
}

/** Analog input in integer units: `round(x / inputUnit)`. */
export function quantizeInput(x: ArrayLike<number>, inputUnit: number): Float64Array {
  return Float64Array.from(x as ArrayLike<number>, (v) => Math.round(v / inputUnit));
}
