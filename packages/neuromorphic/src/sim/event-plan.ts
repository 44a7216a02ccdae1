import { channelsOf, expandParam, sizeOf } from '../graph/params.js';
import type { GraphNode } from '../graph/types.js';

/**
 * The operation codes of an {@link EventPlanNode}, in the order the native engine reads them.
 * `input` ... `output` are the node kinds the integer simulator runs in `event` mode.
 */
export const EVENT_PLAN_OPS = { input: 0, conv: 1, linear: 2, population: 3, pool: 4, flatten: 5, scale: 6, output: 7 } as const;

/** An incoming edge of a plan node: the source's position in the plan, whether it is a back edge (last step's value), its gain (null: unit). */
export interface EventPlanEdge {
  readonly from: number;
  readonly back: boolean;
  readonly gain: Float64Array | null;
}

/**
 * One node of an {@link EventPlan}, flat so a native engine reads it without knowing the graph types:
 * - conv: `geom` is {@link eventConvGeom}'s 15 integers; `weight`, `bias` as in the graph.
 * - linear: `geom` is `[outFeatures]`.
 * - population: `params` holds the per-neuron `decay, threshold, gain, drive, reset, synDecay,
 *   synGain, beta, rho` one after the other (9 x size); `geom` is `[uniform, strict, subtract,
 *   synapse, adaptation]` (0/1).
 * - pool (sum): `geom` is `[w, c, ho, wo, kh, kw, sh, sw, ph, pw]` of its HWC input and output.
 * - flatten: `geom` is `[reorder, c, hw]` (reorder 1: channel-major, element (p, c) goes to `c*hw + p`).
 * - scale: `params` is the per-element scale.
 */
export interface EventPlanNode {
  readonly op: number;
  readonly name: string;
  readonly inSize: number;
  readonly outSize: number;
  readonly inputs: readonly EventPlanEdge[];
  readonly geom: Int32Array;
  readonly weight: Float32Array | null;
  readonly bias: Float32Array | null;
  readonly params: Float64Array | null;
}

/** A prepared graph in evaluation order, with the membrane range `±smax`: what `event` mode computes, ready for a native engine. */
export interface EventPlan {
  readonly nodes: readonly EventPlanNode[];
  readonly smax: number;
}

/** What a native engine returns for `samples` samples, flat: per sample, every output node's sums then every population's spike count. */
export interface EventPlanResults {
  /** `[samples, sum of the output nodes' sizes]`, output nodes in plan order. */
  readonly outputSums: Float64Array;
  /** `[samples, populations]`, populations in plan order. */
  readonly spikeCounts: Float64Array;
  /** `[samples, 2]`: synaptic operations, saturated potentials. */
  readonly stats: Float64Array;
}

/** A plan compiled by a native engine. */
export interface EventPlanRunner {
  /**
   * Runs `samples` samples of `steps` steps from fresh state. `inputs[j][s * steps + t]` is the plan's
   * j-th input node's values (its size) for sample s at step t, read in place; null for zeros.
   * Samples may run in parallel.
   */
  run(inputs: readonly (readonly (Float32Array | Float64Array | null)[])[], samples: number, steps: number): EventPlanResults;
}

/** What {@link buildEventPlan} needs of a prepared graph. */
export interface EventPlanSource {
  readonly order: readonly string[];
  readonly node: (name: string) => GraphNode;
  readonly shapes: ReadonlyMap<string, { readonly in: readonly number[]; readonly out: readonly number[] }>;
  readonly incoming: ReadonlyMap<string, readonly { readonly from: string; readonly gain: Float64Array; readonly unit: boolean; readonly back: boolean }[]>;
  /** A population's per-neuron parameters. */
  readonly params: (name: string) => Readonly<Record<'decay' | 'threshold' | 'gain' | 'drive' | 'reset' | 'sd' | 'sg' | 'ab' | 'ar', Float64Array>>;
  readonly uniform: (name: string) => boolean;
  readonly convGeom: (name: string) => readonly number[];
  readonly smax: number;
}

/**
 * The plan of a prepared graph, or null when it holds something only the TypeScript simulator runs
 * (an affine node, a pool that is not a sum pool).
 */
export function buildEventPlan(src: EventPlanSource): EventPlan | null {
  const at = new Map(src.order.map((n, i) => [n, i] as const));
  const nodes: EventPlanNode[] = [];
  for (const name of src.order) {
    const n = src.node(name);
    const sh = src.shapes.get(name) as { in: readonly number[]; out: readonly number[] };
    const inSize = sizeOf(sh.in);
    const inputs = (src.incoming.get(name) ?? []).map((e) => ({ from: at.get(e.from) as number, back: e.back, gain: e.unit ? null : e.gain }));
    const base = { name, inSize, outSize: sizeOf(sh.out), inputs, geom: new Int32Array(0), weight: null, bias: null, params: null };
    switch (n.kind) {
      case 'input':
        nodes.push({ ...base, op: EVENT_PLAN_OPS.input, inSize: sizeOf(n.shape), outSize: sizeOf(n.shape) });
        break;
      case 'output':
        nodes.push({ ...base, op: EVENT_PLAN_OPS.output });
        break;
      case 'conv':
        nodes.push({ ...base, op: EVENT_PLAN_OPS.conv, geom: Int32Array.from(src.convGeom(name)), weight: n.weight, bias: n.bias });
        break;
      case 'linear':
        nodes.push({ ...base, op: EVENT_PLAN_OPS.linear, geom: Int32Array.of(n.outFeatures), weight: n.weight, bias: n.bias });
        break;
      case 'population': {
        const p = src.params(name);
        const all = [p.decay, p.threshold, p.gain, p.drive, p.reset, p.sd, p.sg, p.ab, p.ar];
        const params = new Float64Array(9 * inSize);
        all.forEach((a, k) => params.set(a, k * inSize));
        const flags = [src.uniform(name), n.strict, n.reset === 'subtract', n.synapse !== undefined, n.adaptation !== undefined];
        nodes.push({ ...base, op: EVENT_PLAN_OPS.population, geom: Int32Array.from(flags, Number), params });
        break;
      }
      case 'pool': {
        if (n.mode !== 'sum') return null;
        const [, w, c] = sh.in as [number, number, number];
        const [ho, wo] = sh.out as [number, number];
        nodes.push({ ...base, op: EVENT_PLAN_OPS.pool, geom: Int32Array.of(w, c, ho, wo, n.kernel[0], n.kernel[1], n.stride[0], n.stride[1], n.padding[0], n.padding[1]) });
        break;
      }
      case 'flatten': {
        const c = channelsOf(sh.in);
        const reorder = !(n.order === 'hwc' || sh.in.length < 2);
        nodes.push({ ...base, op: EVENT_PLAN_OPS.flatten, geom: Int32Array.of(reorder ? 1 : 0, c, inSize / c) });
        break;
      }
      case 'scale':
        nodes.push({ ...base, op: EVENT_PLAN_OPS.scale, params: expandParam(n.scale, channelsOf(sh.in), inSize) });
        break;
      default:
        return null;
    }
  }
  return { nodes, smax: src.smax };
}
