import { messages } from '../messages.js';
import { evaluationOrder } from '../graph/order.js';
import { channelsOf, expandParam, sizeOf } from '../graph/params.js';
import { GraphError } from '../graph/shapes.js';
import type { ConvNode, GraphNode, HardwareGraph, LinearNode, PoolNode, PopulationNode } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { conv2d, flatten, linear, pool2d } from './dense-ops.js';
import { eventConvGeom, jsEventKernels, type EventKernels } from './event-kernels.js';
import { buildEventPlan, EVENT_PLAN_OPS, type EventPlan, type EventPlanNode, type EventPlanRunner } from './event-plan.js';
import { inputAt, type SimResult, type StepInputs } from './float-sim.js';

/** Options of {@link simulateInteger}. */
export interface IntSimOptions {
  /** `event`: spikes scatter their synapses one by one; `dense`: every layer computed in full (the reference). */
  readonly mode: 'event' | 'dense';
  readonly steps?: number;
  /** Membrane state bits (signed); potentials saturate at `±(2^(bits-1) - 1)`. Default: the quantised graph's, else 24. */
  readonly stateBits?: number;
  readonly recordOutputs?: boolean;
  readonly recordNeuronCounts?: boolean;
  /** Keep every population's spikes per step (`spikeTrains`, as the float simulator does). Default false. */
  readonly recordSpikeTrains?: boolean;
  /**
   * Fan-in split into partial sums, by conv/linear node name: the synapse's inputs (linear: its input
   * features; conv: the input channels of each group) are cut into that many contiguous ranges, each
   * accumulated on its own (a partial-sum core/compartment, saturating at the state range like a
   * membrane), and the partial sums are added where the neurons live. Exact integers, so the result
   * equals the unsplit one unless a partial sum saturates (counted in `partialSumSaturations`).
   */
  readonly partialSums?: Readonly<Record<string, number>>;
  /**
   * The synaptic delivery loops of `event` mode (default {@link jsEventKernels}); the native backend's
   * `nativeEventKernels()` computes the same sums bit for bit, several times faster.
   */
  readonly kernels?: EventKernels;
}

/** Integer simulation result: the float result's fields plus operation and saturation counts. */
export interface IntSimResult extends SimResult {
  /** Synaptic additions performed (event mode: exact, one per delivered input per synapse). */
  readonly synapticOps: number;
  /** Membrane potentials clipped to the state range. */
  readonly saturations: number;
  /** Partial sums clipped to the state range (see IntSimOptions.partialSums). */
  readonly partialSumSaturations: number;
}

/** Sparse activity: flat indices with their non-zero values. */
interface Events {
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** A node's output in one step: events (sparse) or every value (dense). */
type Val = { ev: Events } | { dense: Float64Array };

const toEvents = (x: ArrayLike<number>): Events => {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) n++;
  const idx = new Int32Array(n);
  const val = new Float64Array(n);
  for (let i = 0, k = 0; i < x.length; i++) if (x[i] !== 0) {
    idx[k] = i;
    val[k++] = x[i] as number;
  }
  return { idx, val };
};

const toDense = (e: Events, size: number): Float64Array => {
  const d = new Float64Array(size);
  for (let k = 0; k < e.idx.length; k++) d[e.idx[k] as number] = (d[e.idx[k] as number] as number) + (e.val[k] as number);
  return d;
};

const pick = (e: Events, keep: (i: number) => boolean): Events => {
  const at: number[] = [];
  for (let k = 0; k < e.idx.length; k++) if (keep(e.idx[k] as number)) at.push(k);
  return { idx: Int32Array.from(at, (k) => e.idx[k] as number), val: Float64Array.from(at, (k) => e.val[k] as number) };
};

/**
 * The partial sum each input element of a synapse belongs to when its fan-in is cut into `splits`
 * contiguous ranges: linear, of its input features; conv, of the input channels of each group (every
 * output then sums `kh*kw` taps over one channel range per partial sum).
 */
export function splitRanges(node: ConvNode | LinearNode, inShape: readonly number[], splits: number): (i: number) => number {
  if (splits <= 1) return () => 0;
  if (node.kind === 'linear') {
    const per = Math.ceil(node.inFeatures / splits);
    return (i) => Math.floor(i / per);
  }
  const cin = channelsOf(inShape);
  const cinG = cin / node.groups;
  const per = Math.ceil(cinG / splits);
  return (i) => Math.floor((i % cin) % cinG / per);
}

function scatterPool(n: PoolNode, ev: Events, inShape: readonly number[], outShape: readonly number[]): Events {
  if (n.mode !== 'sum') throw new GraphError(messages.badInput('simulateInteger', n.name, `is a ${n.mode} pool`, n.mode, 'a sum pool (quantizeGraph turns avg pools into sum pools)'));
  const [, w, c] = inShape as [number, number, number];
  const [ho, wo] = outShape as [number, number];
  const acc = new Float64Array(ho * wo * c);
  const [kh, kw] = n.kernel;
  if (n.stride[0] === kh && n.stride[1] === kw && n.padding[0] === 0 && n.padding[1] === 0) {
    // Tiling windows (stride = kernel, no padding): each input lies in one window at most.
    for (let k = 0; k < ev.idx.length; k++) {
      const i = ev.idx[k] as number;
      const ch = i % c;
      const p = (i - ch) / c;
      const ox = Math.floor((p % w) / kw);
      const oy = Math.floor(Math.floor(p / w) / kh);
      if (oy >= ho || ox >= wo) continue;
      const o = (oy * wo + ox) * c + ch;
      acc[o] = (acc[o] as number) + (ev.val[k] as number);
    }
    return toEvents(acc);
  }
  for (let k = 0; k < ev.idx.length; k++) {
    const i = ev.idx[k] as number;
    const ch = i % c;
    const p = (i - ch) / c;
    const ix = p % w;
    const iy = (p - ix) / w;
    for (let ky = 0; ky < n.kernel[0]; ky++) {
      const ty = iy + n.padding[0] - ky;
      if (ty < 0 || ty % n.stride[0] !== 0 || ty / n.stride[0] >= ho) continue;
      for (let kx = 0; kx < n.kernel[1]; kx++) {
        const tx = ix + n.padding[1] - kx;
        if (tx < 0 || tx % n.stride[1] !== 0 || tx / n.stride[1] >= wo) continue;
        const o = ((ty / n.stride[0]) * wo + tx / n.stride[1]) * c + ch;
        acc[o] = (acc[o] as number) + (ev.val[k] as number);
      }
    }
  }
  return toEvents(acc);
}

/**
 * The summed input of a node: events scattered and dense values added, each times its edge's gain.
 * One dense input at unit gain is returned as is (callers only read it). `onEvents` hears how many
 * events arrived.
 */
function inputCurrent(ins: readonly { e: { gain: Float64Array; unit: boolean }; v: Val }[], size: number, onEvents: (n: number) => void): Float64Array {
  const only = ins.length === 1 ? ins[0] : undefined;
  if (only !== undefined && only.e.unit && 'dense' in only.v) return only.v.dense;
  const x = new Float64Array(size);
  for (const { e, v } of ins) {
    const gn = e.gain;
    if ('ev' in v) {
      onEvents(v.ev.idx.length);
      for (let k = 0; k < v.ev.idx.length; k++) {
        const i = v.ev.idx[k] as number;
        x[i] = (x[i] as number) + (v.ev.val[k] as number) * (gn[i] as number);
      }
    } else {
      const d = v.dense;
      if (e.unit) for (let i = 0; i < size; i++) x[i] = (x[i] as number) + (d[i] as number);
      else for (let i = 0; i < size; i++) x[i] = (x[i] as number) + (d[i] as number) * (gn[i] as number);
    }
  }
  return x;
}

/** A population's parameters when every neuron has the same (no synapse, no adaptation). */
interface UniformParams {
  readonly decay: number;
  readonly threshold: number;
  readonly gain: number;
  readonly drive: number;
  readonly reset: number;
}

/** The same step as {@link stepPopulation}'s with scalar parameters: the same arithmetic, fewer loads. */
function stepUniformPopulation(st: PopulationState, u: UniformParams, x: Float64Array, spikes: Float64Array | undefined, fired: Int32Array, smax: number, per: Float64Array | undefined): [number, number] {
  const { v } = st;
  const { decay, threshold, gain, drive, reset } = u;
  const strict = st.node.strict;
  const subtract = st.node.reset === 'subtract';
  let count = 0;
  let sat = 0;
  for (let i = 0; i < x.length; i++) {
    let m = Math.trunc(decay * (v[i] as number)) + gain * (x[i] as number) + drive;
    if (m > smax || m < -smax) {
      sat++;
      m = Math.sign(m) * smax;
    }
    if (strict ? m > threshold : m >= threshold) {
      if (spikes) spikes[i] = 1;
      fired[count++] = i;
      if (per) per[i] = (per[i] as number) + 1;
      v[i] = subtract ? m - threshold : reset;
    } else v[i] = m;
  }
  return [count, sat];
}

/** A population's integer state and its parameters expanded per neuron. */
interface PopulationState {
  readonly node: PopulationNode;
  readonly v: Float64Array;
  readonly syn: Float64Array;
  readonly a: Float64Array;
  /** Scratch: the indices that fired this step, in ascending order (the first `count`). */
  readonly fired: Int32Array;
  /** Set when the population's parameters are uniform and it has no synapse or adaptation. */
  readonly uniform: UniformParams | null;
  readonly p: Readonly<Record<'decay' | 'threshold' | 'gain' | 'drive' | 'reset' | 'sd' | 'sg' | 'ab' | 'ar', Float64Array>>;
}

/**
 * One step of a population on its input current `x`: writes `spikes` (when given) and the fired
 * indices into `fired`, updates the state, counts per neuron into `per` when given. A function of its
 * own (with the loop's arrays in locals) so V8 optimises it apart from the simulator's dispatch.
 * @returns [spikes, saturated potentials]
 */
function stepPopulation(st: PopulationState, x: Float64Array, spikes: Float64Array | undefined, fired: Int32Array, smax: number, per: Float64Array | undefined): [number, number] {
  if (st.uniform) return stepUniformPopulation(st, st.uniform, x, spikes, fired, smax, per);
  const { v, syn, a } = st;
  const { decay, threshold, gain, drive, reset, sd, sg, ab, ar } = st.p;
  const synapse = st.node.synapse !== undefined;
  const adapt = st.node.adaptation !== undefined;
  const strict = st.node.strict;
  const subtract = st.node.reset === 'subtract';
  let count = 0;
  let sat = 0;
  for (let i = 0; i < x.length; i++) {
    let cin = x[i] as number;
    if (synapse) {
      syn[i] = Math.trunc((sd[i] as number) * (syn[i] as number)) + (sg[i] as number) * cin;
      cin = syn[i] as number;
    }
    let u = Math.trunc((decay[i] as number) * (v[i] as number)) + (gain[i] as number) * cin + (drive[i] as number);
    if (u > smax || u < -smax) {
      sat++;
      u = Math.sign(u) * smax;
    }
    const th = (threshold[i] as number) + (a[i] as number);
    const fire = strict ? u > th : u >= th;
    if (fire) {
      if (spikes) spikes[i] = 1;
      fired[count++] = i;
      if (per) per[i] = (per[i] as number) + 1;
      v[i] = subtract ? u - th : (reset[i] as number);
    } else v[i] = u;
    // threshold adaptation for the next step: a <- trunc(rho*a) + beta*o (rho dyadic, beta integer)
    if (adapt) a[i] = Math.trunc((ar[i] as number) * (a[i] as number)) + (fire ? (ab[i] as number) : 0);
  }
  return [count, sat];
}

/**
 * The integer simulator: runs a quantised graph with the chip's integer arithmetic. Per population and
 * step: `u = trunc(k*v) + gain*x + drive` (k dyadic, so exact), clipped to the state range, spike where
 * `u >= threshold + a` (`>` if strict), reset; with threshold adaptation `a <- trunc(rho*a) + beta*o`
 * (rho dyadic, beta in state units; `a[0] = 0`), the float dynamics with the decay truncated like the membrane's. `event` mode delivers each spike (or graded input value) to
 * its real synapses only; `dense` mode computes every layer in full (the reference it must match bit
 * for bit). Sums are of integers below 2^53, so float64 is exact.
 */
export function simulateInteger(graph: HardwareGraph, inputs: StepInputs, options: IntSimOptions): IntSimResult {
  return prepareIntegerSim(graph, options).run(inputs);
}

/** A graph prepared for integer simulation: validated, ordered, its parameters expanded per neuron once. */
export interface PreparedIntegerSim {
  /** Simulates one sample from fresh state (membranes at zero), as {@link simulateInteger} does. */
  run(inputs: StepInputs, steps?: number): IntSimResult;
  /**
   * Simulates each sample from fresh state: `run` of every one, in one native call (samples in
   * parallel) when the kernels compiled the graph.
   */
  runBatch(samples: readonly StepInputs[], steps?: number): IntSimResult[];
  /** Which engine runs a sample: the kernels' name when they compiled the whole simulation (`native`), `js` (the TypeScript loop and delivery), or `js loop, <kernels> delivery`. */
  readonly engine: string;
}

/**
 * Prepares `graph` for many {@link simulateInteger} runs with the same options (a chip loads its
 * network once and then streams samples): validation, evaluation order and the per-neuron expansion
 * of every parameter are done here, not per sample. The graph must not change afterwards.
 * long-function: one time loop whose phases (deliver, integrate, fire, adapt) share the per-step typed arrays; event and dense mode stay in one body so they are visibly the same arithmetic (they must agree bit for bit).
 */
export function prepareIntegerSim(graph: HardwareGraph, options: IntSimOptions): PreparedIntegerSim {
  const { shapes } = validateGraph(graph);
  const { order, backEdges } = evaluationOrder(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  const fromGraph = (graph.metadata.quantized as { stateBits?: number } | undefined)?.stateBits;
  const smax = 2 ** ((options.stateBits ?? fromGraph ?? 24) - 1) - 1;
  const incoming = new Map<string, { from: string; gain: Float64Array; unit: boolean; back: boolean }[]>();
  for (const n of graph.nodes) incoming.set(n.name, []);
  for (const e of graph.edges) {
    const s = (shapes.get(e.to) as { in: readonly number[] }).in;
    const gain = expandParam(e.gain ?? 1, channelsOf(s), sizeOf(s));
    incoming.get(e.to)?.push({ from: e.from, gain, unit: gain.every((g) => g === 1), back: backEdges.has(e) });
  }
  const params = new Map<string, PopulationState['p']>();
  for (const n of graph.nodes) {
    if (n.kind !== 'population') continue;
    const size = sizeOf(n.shape);
    const c = channelsOf(n.shape);
    const ex = (x: PopulationNode['decay']): Float64Array => expandParam(x, c, size);
    params.set(n.name, {
      decay: ex(n.decay), threshold: ex(n.threshold), gain: ex(n.gain), drive: ex(n.drive), reset: ex(n.resetValue), sd: ex(n.synapse?.decay ?? 0), sg: ex(n.synapse?.gain ?? 0),
      ab: ex(n.adaptation?.beta ?? 0), ar: ex(n.adaptation?.rho ?? 0),
    });
  }
  const uniformOf = new Map<string, UniformParams | null>();
  for (const n of graph.nodes) if (n.kind === 'population') {
    const P = params.get(n.name) as PopulationState['p'];
    const same = (a: Float64Array) => a.every((x) => x === a[0]);
    const ok = n.synapse === undefined && n.adaptation === undefined && [P.decay, P.threshold, P.gain, P.drive, P.reset].every(same) && (P.decay.length > 0);
    uniformOf.set(n.name, ok ? { decay: P.decay[0] as number, threshold: P.threshold[0] as number, gain: P.gain[0] as number, drive: P.drive[0] as number, reset: P.reset[0] as number } : null);
  }
  const convGeoms = new Map<string, number[]>();
  for (const n of graph.nodes) if (n.kind === 'conv') {
    const sh = shapes.get(n.name) as { in: readonly number[]; out: readonly number[] };
    convGeoms.set(n.name, eventConvGeom(n, sh.in, sh.out));
  }
  const kernels = options.kernels ?? jsEventKernels;
  // A synapse's accumulators are reused from step to step unless a back edge reads its last output.
  const readLater = new Set([...backEdges].map((e) => e.from));
  const stepsOf = (inputs: StepInputs, stepsArg?: number): number => {
    let steps = stepsArg ?? options.steps ?? 0;
    if (stepsArg === undefined && options.steps === undefined) for (const v of Object.values(inputs)) if (typeof (v as unknown[])[0] === 'object') steps = Math.max(steps, (v as unknown[]).length);
    return steps;
  };
  const run = (inputs: StepInputs, stepsArg?: number): IntSimResult => {
    const steps = stepsOf(inputs, stepsArg);
    const scratch = new Map<string, Float64Array[]>();
    const accumulators = (name: string, splits: number, size: number): Float64Array[] => {
      if (readLater.has(name)) return Array.from({ length: splits }, () => new Float64Array(size));
      let a = scratch.get(name);
      if (a === undefined || a.length !== splits) scratch.set(name, (a = Array.from({ length: splits }, () => new Float64Array(size))));
      else for (const b of a) b.fill(0);
      return a;
    };
    const pops = new Map<string, PopulationState>();
    for (const n of graph.nodes) {
      if (n.kind !== 'population') continue;
      const size = sizeOf(n.shape);
      pops.set(n.name, { node: n, v: new Float64Array(size), syn: new Float64Array(size), a: new Float64Array(size), fired: new Int32Array(size), uniform: uniformOf.get(n.name) ?? null, p: params.get(n.name) as PopulationState['p'] });
    }
    const res: IntSimResult = { steps, outputSum: {}, outputs: {}, spikeCounts: {}, neuronCounts: {}, membranes: {}, spikeTrains: {}, synapticOps: 0, saturations: 0, partialSumSaturations: 0 };
    let ops = 0;
    let sat = 0;
    let psat = 0;
    for (const n of graph.nodes) {
      const size = sizeOf((shapes.get(n.name) as { out: readonly number[] }).out);
      if (n.kind === 'output') {
        res.outputSum[n.name] = new Float64Array(size);
        if (options.recordOutputs) res.outputs[n.name] = [];
      }
      if (n.kind === 'population') {
        res.spikeCounts[n.name] = 0;
        if (options.recordNeuronCounts) res.neuronCounts[n.name] = new Float64Array(size);
        if (options.recordSpikeTrains) res.spikeTrains[n.name] = [];
      }
    }
    const event = options.mode === 'event';
    const dense = (x: Val, size: number): Float64Array => ('dense' in x ? x.dense : toDense(x.ev, size));
    const events = (x: Val): Events => ('ev' in x ? x.ev : toEvents(x.dense));
    let prev = new Map<string, Val>();
    for (let t = 0; t < steps; t++) {
      const cur = new Map<string, Val>();
      for (const name of order) {
        const node = byName.get(name) as GraphNode;
        const sh = shapes.get(name) as { in: readonly number[]; out: readonly number[] };
        const inSize = sizeOf(sh.in);
        if (node.kind === 'input') {
          const src = inputs[name];
          const v = src === undefined ? undefined : inputAt(src, t);
          if (v !== undefined && v.length !== sizeOf(node.shape)) throw new GraphError(messages.simInput(`simulateInteger input "${name}"`, v.length, sizeOf(node.shape)));
          const d = v === undefined ? new Float64Array(sizeOf(node.shape)) : Float64Array.from(v);
          cur.set(name, event ? { ev: toEvents(d) } : { dense: d });
          continue;
        }
        const ins = (incoming.get(name) ?? []).map((e) => ({ e, v: (e.back ? prev : cur).get(e.from) })).filter((x) => x.v !== undefined) as { e: { gain: Float64Array; unit: boolean }; v: Val }[];
        if (node.kind === 'conv' || node.kind === 'linear') {
          const outSize = sizeOf(sh.out);
          const splits = Math.max(1, Math.floor(options.partialSums?.[name] ?? 1));
          // input index -> partial sum: linear rows in contiguous ranges; conv input channels of a group in contiguous ranges
          const rangeOf = splitRanges(node, sh.in, splits);
          const parts = accumulators(name, splits, outSize);
          for (const { e, v } of ins) {
            const gained = (x: Float64Array): Float64Array => (e.unit ? x : x.map((y, i) => y * (e.gain[i] as number)));
            if (event) {
              const ev = events(v);
              const evg = e.unit ? ev : { idx: ev.idx, val: ev.val.map((y, k) => y * (e.gain[ev.idx[k] as number] as number)) };
              for (let p = 0; p < splits; p++) {
                const sel = splits === 1 ? evg : pick(evg, (i) => rangeOf(i) === p);
                const acc = parts[p] as Float64Array;
                ops += node.kind === 'conv'
                  ? kernels.conv(convGeoms.get(name) as number[], sel.idx.length, sel.idx, sel.val, node.weight, acc)
                  : kernels.linear(node.outFeatures, sel.idx.length, sel.idx, sel.val, node.weight, acc);
              }
            } else {
              const x = gained(dense(v, inSize));
              for (let p = 0; p < splits; p++) {
                const xp = splits === 1 ? x : x.map((y, i) => (rangeOf(i) === p ? y : 0));
                const y = node.kind === 'conv' ? conv2d(node, xp, sh.in, sh.out, node.weight, false) : linear(node, xp, node.weight, false);
                const acc = parts[p] as Float64Array;
                for (let i = 0; i < y.length; i++) acc[i] = (acc[i] as number) + (y[i] as number);
              }
            }
          }
          let acc = parts[0] as Float64Array;
          if (splits > 1) {
            acc = new Float64Array(outSize);
            for (const part of parts) for (let i = 0; i < outSize; i++) {
              let q = part[i] as number;
              if (q > smax || q < -smax) {
                psat++;
                q = Math.sign(q) * smax;
              }
              acc[i] = (acc[i] as number) + q;
            }
          }
          if (node.bias) for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (node.bias[i % node.bias.length] as number);
          cur.set(name, { dense: acc });
          continue;
        }
        if ((node.kind === 'pool' || node.kind === 'flatten' || node.kind === 'scale') && event) {
          // one input at unit gain passes its events on; several (or gains) are summed densely, zeros dropped
          const only = ins.length === 1 ? ins[0] : undefined;
          let merged: Events;
          if (only !== undefined && only.e.unit) merged = events(only.v);
          else {
            const sum = new Float64Array(inSize);
            for (const { e, v } of ins) {
              const ev = events(v);
              for (let k = 0; k < ev.idx.length; k++) {
                const i = ev.idx[k] as number;
                sum[i] = (sum[i] as number) + (ev.val[k] as number) * (e.gain[i] as number);
              }
            }
            merged = toEvents(sum);
          }
          if (node.kind === 'pool') cur.set(name, { ev: scatterPool(node, merged, sh.in, sh.out) });
          else if (node.kind === 'flatten') {
            const c = channelsOf(sh.in);
            const hw = inSize / c;
            cur.set(name, { ev: node.order === 'hwc' || sh.in.length < 2 ? merged : { idx: merged.idx.map((i) => (i % c) * hw + Math.floor(i / c)), val: merged.val } });
          } else {
            const s = expandParam(node.scale, channelsOf(sh.in), inSize);
            cur.set(name, { ev: { idx: merged.idx, val: merged.val.map((y, k) => y * (s[merged.idx[k] as number] as number)) } });
          }
          continue;
        }
        const x = inputCurrent(ins, inSize, (n) => {
          // spikes arriving straight at a population (identity / residual edges) are synaptic ops too
          if (node.kind === 'population' || node.kind === 'output') ops += n;
        });
        if (node.kind === 'population') {
          const st = pops.get(name) as PopulationState;
          // event mode keeps the fired indices only, unless the spike trains are recorded
          const spikes = event && !options.recordSpikeTrains ? undefined : new Float64Array(inSize);
          const [count, clipped] = stepPopulation(st, x, spikes, st.fired, smax, res.neuronCounts[name]);
          sat += clipped;
          res.spikeCounts[name] = (res.spikeCounts[name] as number) + count;
          if (spikes !== undefined) res.spikeTrains[name]?.push(Uint8Array.from(spikes));
          cur.set(name, event ? { ev: { idx: st.fired.slice(0, count), val: new Float64Array(count).fill(1) } } : { dense: spikes as Float64Array });
          continue;
        }
        let y: Float64Array;
        if (node.kind === 'pool') y = pool2d(node, x, sh.in, sh.out);
        else if (node.kind === 'flatten') y = flatten(node.order, x, sh.in);
        else if (node.kind === 'scale') {
          const s = expandParam(node.scale, channelsOf(sh.in), inSize);
          y = x.map((v, i) => v * (s[i] as number));
        } else y = x;
        if (node.kind === 'output') {
          const acc = res.outputSum[name] as Float64Array;
          for (let i = 0; i < y.length; i++) acc[i] = (acc[i] as number) + (y[i] as number);
          res.outputs[name]?.push(y.slice()); // y may be a synapse's accumulator, reused next step
        }
        cur.set(name, { dense: y });
      }
      prev = cur;
    }
    return { ...res, synapticOps: ops, saturations: sat, partialSumSaturations: psat };
  };
  const compiled = compileWhole(options, kernels, () => buildEventPlan({
    order, node: (n) => byName.get(n) as GraphNode, shapes, incoming, params: (n) => params.get(n) as PopulationState['p'],
    uniform: (n) => uniformOf.get(n) != null, convGeom: (n) => convGeoms.get(n) as number[], smax,
  }));
  if (compiled === null) return { run, runBatch: (samples, steps) => samples.map((x) => run(x, steps)), engine: kernels.name === 'js' ? 'js' : `js loop, ${kernels.name} delivery` };
  const runBatch = (samples: readonly StepInputs[], stepsArg?: number): IntSimResult[] => {
    const steps = samples.map((x) => stepsOf(x, stepsArg));
    if (steps.some((t) => t !== steps[0])) return samples.map((x) => runBatch([x], stepsArg)[0] as IntSimResult);
    return runCompiled(compiled, samples, steps[0] ?? 0);
  };
  return { run: (inputs, steps) => runBatch([inputs], steps)[0] as IntSimResult, runBatch, engine: kernels.name };
}

/** A plan compiled by the kernels, with its input, output and population nodes in plan order. */
interface CompiledPlan {
  readonly runner: EventPlanRunner;
  readonly inputs: readonly EventPlanNode[];
  readonly outputs: readonly EventPlanNode[];
  readonly populations: readonly EventPlanNode[];
}

/** The kernels' whole-simulation engine for this graph, when they have one and the options need nothing it does not record. */
function compileWhole(options: IntSimOptions, kernels: EventKernels, plan: () => EventPlan | null): CompiledPlan | null {
  const splits = Object.values(options.partialSums ?? {}).some((n) => Math.floor(n) > 1);
  if (options.mode !== 'event' || kernels.compile === undefined || splits || options.recordOutputs || options.recordNeuronCounts || options.recordSpikeTrains) return null;
  const p = plan();
  if (p === null) return null;
  const of = (op: number) => p.nodes.filter((n) => n.op === op);
  return { runner: kernels.compile(p), inputs: of(EVENT_PLAN_OPS.input), outputs: of(EVENT_PLAN_OPS.output), populations: of(EVENT_PLAN_OPS.population) };
}

/** Samples through a compiled plan: each input node's step arrays handed over in place (other array-likes copied to float64), results unpacked per sample. */
function runCompiled(plan: CompiledPlan, samples: readonly StepInputs[], steps: number): IntSimResult[] {
  const inputs = plan.inputs.map((n) => {
    const arrays: (Float32Array | Float64Array | null)[] = new Array(samples.length * steps).fill(null);
    samples.forEach((x, s) => {
      const src = x[n.name];
      if (src === undefined) return;
      for (let t = 0; t < steps; t++) {
        const v = inputAt(src, t);
        if (v === undefined) continue;
        if (v.length !== n.outSize) throw new GraphError(messages.simInput(`simulateInteger input "${n.name}"`, v.length, n.outSize));
        arrays[s * steps + t] = v instanceof Float32Array || v instanceof Float64Array ? v : Float64Array.from(v);
      }
    });
    return arrays;
  });
  const r = plan.runner.run(inputs, samples.length, steps);
  const outs = plan.outputs;
  const pops = plan.populations;
  const width = outs.reduce((a, n) => a + n.outSize, 0);
  return samples.map((_, s) => {
    const outputSum: Record<string, Float64Array> = {};
    let at = s * width;
    for (const n of outs) {
      outputSum[n.name] = r.outputSums.slice(at, at + n.outSize);
      at += n.outSize;
    }
    const spikeCounts: Record<string, number> = {};
    pops.forEach((n, j) => (spikeCounts[n.name] = r.spikeCounts[s * pops.length + j] as number));
    return { steps, outputSum, outputs: {}, spikeCounts, neuronCounts: {}, membranes: {}, spikeTrains: {}, synapticOps: r.stats[2 * s] as number, saturations: r.stats[2 * s + 1] as number, partialSumSaturations: 0 };
  });
}
