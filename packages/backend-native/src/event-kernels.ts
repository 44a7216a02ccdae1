import { loadAddon } from './addon.js';
import { messages } from './messages.js';

/**
 * The plan of a whole event-mode simulation, as `@deepspike/neuromorphic`'s `buildEventPlan` makes
 * it (its `EventPlan`; the fields the C++ engine reads, typed here structurally so this package does
 * not import the one above it).
 */
export interface NativeEventPlan {
  readonly nodes: readonly {
    readonly op: number;
    readonly inSize: number;
    readonly outSize: number;
    readonly inputs: readonly { readonly from: number; readonly back: boolean; readonly gain: Float64Array | null }[];
    readonly geom: Int32Array;
    readonly weight: Float32Array | null;
    readonly bias: Float32Array | null;
    readonly params: Float64Array | null;
  }[];
  readonly smax: number;
}

/** A plan compiled into the addon; `run` as neuromorphic's `EventPlanRunner`. */
export interface NativeEventPlanRunner {
  run(inputs: readonly (readonly (Float32Array | Float64Array | null)[])[], samples: number, steps: number): { outputSums: Float64Array; spikeCounts: Float64Array; stats: Float64Array };
}

/**
 * The event-driven simulation in C++, shaped as `@deepspike/neuromorphic`'s `EventKernels` (pass the
 * result as `simulateInteger`'s `options.kernels`): the synaptic delivery loops (native/events.cc),
 * and `compile`, which runs the whole simulation of a plan natively, samples in parallel
 * (native/event_sim.cc). The sums are accumulated in the reference's order without FMA contraction,
 * so every result equals the TypeScript simulator's bit for bit.
 */
export interface NativeEventKernels {
  readonly name: string;
  conv(geom: readonly number[], count: number, idx: Int32Array, val: Float64Array, weight: Float32Array, acc: Float64Array): number;
  linear(outFeatures: number, count: number, idx: Int32Array, val: Float64Array, weight: Float32Array, acc: Float64Array): number;
  compile(plan: NativeEventPlan): NativeEventPlanRunner;
}

/** The plan operation codes this side reads (neuromorphic's `EVENT_PLAN_OPS`). */
const OP = { input: 0, population: 3, output: 7 } as const;

const need = (what: string, ok: boolean, found: () => string, expected: string): void => {
  if (!ok) throw new RangeError(messages.badEventInput(what, found(), expected));
};

/** The native event kernels. @throws Error when the addon is not built (see {@link nativeAvailable}) */
export function nativeEventKernels(): NativeEventKernels {
  const addon = loadAddon();
  if (typeof addon.eventConv !== 'function' || typeof addon.eventPlanCompile !== 'function') throw new Error(messages.addonBroken('the loaded addon', ['eventConv', 'eventLinear', 'eventPlanCompile', 'eventPlanRun']));
  return {
    name: 'native',
    conv(geom, count, idx, val, weight, acc) {
      need('geometry', geom.length === 15 && geom.every((g) => Number.isInteger(g) && g >= 0), () => `[${geom.join(', ')}]`, '15 non-negative integers [h, w, cin, ho, wo, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups]');
      const [h, w, cin, ho, wo, cout, kh, kw, , , , , , , groups] = geom as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
      need('groups', groups > 0 && cin % groups === 0 && cout % groups === 0, () => `groups ${groups} for ${cin} -> ${cout} channels`, 'a divisor of both channel counts');
      need('weight', weight.length === kh * kw * (cin / groups) * cout, () => `${weight.length} values`, `${kh * kw * (cin / groups) * cout} ([kh, kw, cin/groups, cout])`);
      need('accumulator', acc.length === ho * wo * cout, () => `${acc.length} values`, `${ho * wo * cout} ([ho, wo, cout])`);
      checkEvents(count, idx, val, h * w * cin);
      return addon.eventConv(geom, count, idx, val, weight, acc);
    },
    linear(outFeatures, count, idx, val, weight, acc) {
      need('accumulator', acc.length === outFeatures, () => `${acc.length} values`, `${outFeatures} (outFeatures)`);
      need('weight', outFeatures > 0 && weight.length % outFeatures === 0, () => `${weight.length} values`, `a multiple of ${outFeatures} ([in, outFeatures])`);
      checkEvents(count, idx, val, weight.length / outFeatures);
      return addon.eventLinear(outFeatures, count, idx, val, weight, acc);
    },
    compile(plan) {
      const handle = addon.eventPlanCompile(plan.nodes, plan.smax);
      const inputSizes = plan.nodes.filter((n) => n.op === OP.input).map((n) => n.outSize);
      const outWidth = plan.nodes.filter((n) => n.op === OP.output).reduce((a, n) => a + n.outSize, 0);
      const pops = plan.nodes.filter((n) => n.op === OP.population).length;
      return {
        run(inputs, samples, steps) {
          need('sample count', Number.isInteger(samples) && samples >= 0 && Number.isInteger(steps) && steps >= 0, () => `${samples} samples of ${steps} steps`, 'non-negative integers');
          need('inputs', inputs.length === inputSizes.length, () => `${inputs.length} arrays`, `one per input node (${inputSizes.length})`);
          inputs.forEach((x, j) => {
            const size = inputSizes[j] as number;
            need(`input ${j}`, x.length === samples * steps, () => `${x.length} step arrays`, `${samples * steps} (samples x steps)`);
            x.forEach((v, q) => {
              if (v !== null) need(`input ${j} at step ${q}`, (v instanceof Float32Array || v instanceof Float64Array) && v.length === size, () => `${v.length} values`, `a Float32Array or Float64Array of ${size} (the input node's size)`);
            });
          });
          const out = { outputSums: new Float64Array(samples * outWidth), spikeCounts: new Float64Array(samples * pops), stats: new Float64Array(samples * 2) };
          addon.eventPlanRun(handle, inputs, samples, steps, out.outputSums, out.spikeCounts, out.stats);
          return out;
        },
      };
    },
  };
}

function checkEvents(count: number, idx: Int32Array, val: Float64Array, inputs: number): void {
  need('event count', Number.isInteger(count) && count >= 0 && count <= idx.length && count <= val.length, () => `${count} (idx ${idx.length}, val ${val.length})`, 'at most the length of idx and val');
  for (let k = 0; k < count; k++) {
    const i = idx[k] as number;
    if (i < 0 || i >= inputs) need(`event index ${k}`, false, () => String(i), `an input index in [0, ${inputs})`);
  }
}
