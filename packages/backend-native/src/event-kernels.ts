import { loadAddon } from './addon.js';
import { messages } from './messages.js';

/**
 * The synaptic delivery loops of event-driven simulation in C++ (native/events.cc), shaped as
 * `@deepspike/neuromorphic`'s `EventKernels` (pass the result as `simulateInteger`'s
 * `options.kernels`). The sums are accumulated in the reference's order without FMA contraction, so
 * they equal the TypeScript kernels' bit for bit.
 */
export interface NativeEventKernels {
  readonly name: string;
  conv(geom: readonly number[], count: number, idx: Int32Array, val: Float64Array, weight: Float32Array, acc: Float64Array): number;
  linear(outFeatures: number, count: number, idx: Int32Array, val: Float64Array, weight: Float32Array, acc: Float64Array): number;
}

const need = (what: string, ok: boolean, found: string, expected: string): void => {
  if (!ok) throw new RangeError(messages.badEventInput(what, found, expected));
};

/** The native event kernels. @throws Error when the addon is not built (see {@link nativeAvailable}) */
export function nativeEventKernels(): NativeEventKernels {
  const addon = loadAddon();
  if (typeof addon.eventConv !== 'function') throw new Error(messages.addonBroken('the loaded addon', ['eventConv', 'eventLinear']));
  return {
    name: 'native',
    conv(geom, count, idx, val, weight, acc) {
      need('geometry', geom.length === 15 && geom.every((g) => Number.isInteger(g) && g >= 0), `[${geom.join(', ')}]`, '15 non-negative integers [h, w, cin, ho, wo, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups]');
      const [h, w, cin, ho, wo, cout, kh, kw, , , , , , , groups] = geom as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
      need('groups', groups > 0 && cin % groups === 0 && cout % groups === 0, `groups ${groups} for ${cin} -> ${cout} channels`, 'a divisor of both channel counts');
      need('weight', weight.length === kh * kw * (cin / groups) * cout, `${weight.length} values`, `${kh * kw * (cin / groups) * cout} ([kh, kw, cin/groups, cout])`);
      need('accumulator', acc.length === ho * wo * cout, `${acc.length} values`, `${ho * wo * cout} ([ho, wo, cout])`);
      checkEvents(count, idx, val, h * w * cin);
      return addon.eventConv(geom, count, idx, val, weight, acc);
    },
    linear(outFeatures, count, idx, val, weight, acc) {
      need('accumulator', acc.length === outFeatures, `${acc.length} values`, `${outFeatures} (outFeatures)`);
      need('weight', outFeatures > 0 && weight.length % outFeatures === 0, `${weight.length} values`, `a multiple of ${outFeatures} ([in, outFeatures])`);
      checkEvents(count, idx, val, weight.length / outFeatures);
      return addon.eventLinear(outFeatures, count, idx, val, weight, acc);
    },
  };
}

function checkEvents(count: number, idx: Int32Array, val: Float64Array, inputs: number): void {
  need('event count', Number.isInteger(count) && count >= 0 && count <= idx.length && count <= val.length, `${count} (idx ${idx.length}, val ${val.length})`, 'at most the length of idx and val');
  for (let k = 0; k < count; k++) {
    const i = idx[k] as number;
    if (i < 0 || i >= inputs) need(`event index ${k}`, false, String(i), `an input index in [0, ${inputs})`);
  }
}
