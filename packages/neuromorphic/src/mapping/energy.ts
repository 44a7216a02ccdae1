import { sizeOf } from '../graph/params.js';
import { convOutSize } from '../graph/shapes.js';
import type { ConvNode } from '../graph/types.js';
import type { ChipProfile } from '../targets/profile.js';
import type { Connection, HardwareLayer } from './layers.js';

/** Energy constants in pJ; every one overridable. */
export interface EnergyConstants {
  /** Accumulate (synaptic op) at 45 nm: 0.9 pJ (Horowitz, ISSCC 2014, 32-bit float add). */
  readonly acPJ: number;
  /** Multiply-accumulate at 45 nm: 4.6 pJ (3.7 pJ multiply + 0.9 pJ add). */
  readonly macPJ: number;
  /** Neuron update under the 45 nm convention (default 0: the convention counts synaptic ops only). */
  readonly neuronUpdatePJ: number;
}

/** The 45 nm convention of the SNN literature. */
export const DEFAULT_ENERGY: EnergyConstants = { acPJ: 0.9, macPJ: 4.6, neuronUpdatePJ: 0 };

/** Operation counts and energy of one layer, per sample. */
export interface LayerEnergy {
  readonly layer: string;
  readonly sops: number;
  readonly macs: number;
  readonly neuronUpdates: number;
  readonly annMacs: number;
  readonly energy45PJ: number;
}

/** Energy report per sample. */
export interface EnergyReport {
  readonly layers: LayerEnergy[];
  readonly totals: { readonly sops: number; readonly macs: number; readonly neuronUpdates: number; readonly annMacs: number };
  /** SNN energy under the 45 nm convention (SOPs x AC + first-layer MACs x MAC + updates). */
  readonly energy45PJ: number;
  /** The equivalent ANN (same layers, one pass, every synapse a MAC) at 45 nm. */
  readonly annEnergy45PJ: number;
  /** Under the chip's own figures (null where the chip publishes none): SOPs and first-layer MACs as synaptic ops, updates, hops. */
  readonly chipEnergyPJ: number | null;
  readonly chipBreakdown: { readonly synapticPJ: number | null; readonly neuronPJ: number | null; readonly hopPJ: number | null };
  readonly constants: EnergyConstants;
}

/**
 * Synapses driven by each neuron of the connection's source (channels-last flat index): the exact
 * fan-out with borders (a border pixel of a padded conv reaches fewer outputs), through pools.
 */
export function fanOut(conn: Connection): Float64Array {
  const srcSize = sizeOf(conn.sourceShape);
  const s = conn.synapse;
  // fan-out per element of the synapse's input
  const inSize = sizeOf(conn.synapseInShape);
  let f: Float64Array;
  if (!s) f = new Float64Array(inSize).fill(1);
  else if (s.kind === 'linear') f = new Float64Array(inSize).fill(s.outFeatures);
  else f = convFanOut(s, conn.synapseInShape);
  // back through the routes (flatten keeps counts per element up to order; pools spread)
  for (let i = conn.routes.length - 1; i >= 0; i--) {
    const r = conn.routes[i];
    if (r?.kind !== 'pool') continue;
    const [h, w, c] = r.inShape as [number, number, number];
    const p = r.node;
    const ho = convOutSize(h, p.kernel[0], p.stride[0], p.padding[0], 1, p.padEnd?.[0]);
    const wo = convOutSize(w, p.kernel[1], p.stride[1], p.padding[1], 1, p.padEnd?.[1]);
    const g = new Float64Array(h * w * c);
    for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) for (let ky = 0; ky < p.kernel[0]; ky++) for (let kx = 0; kx < p.kernel[1]; kx++) {
      const iy = oy * p.stride[0] - p.padding[0] + ky;
      const ix = ox * p.stride[1] - p.padding[1] + kx;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      for (let ch = 0; ch < c; ch++) g[(iy * w + ix) * c + ch] = (g[(iy * w + ix) * c + ch] as number) + (f[(oy * wo + ox) * c + ch] as number);
    }
    f = g;
  }
  if (f.length !== srcSize) {
    // flatten between pools: sizes agree, order may differ; the fan-out of a linear is uniform
    const uniform = new Float64Array(srcSize).fill(f.length ? (f[0] as number) : 0);
    return uniform;
  }
  return f;
}

function convFanOut(c: ConvNode, inShape: readonly number[]): Float64Array {
  const [h, w, cin] = inShape as [number, number, number];
  const ho = convOutSize(h, c.kernel[0], c.stride[0], c.padding[0], c.dilation[0], c.padEnd?.[0]);
  const wo = convOutSize(w, c.kernel[1], c.stride[1], c.padding[1], c.dilation[1], c.padEnd?.[1]);
  const pos = new Float64Array(h * w);
  for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) for (let ky = 0; ky < c.kernel[0]; ky++) for (let kx = 0; kx < c.kernel[1]; kx++) {
    const iy = oy * c.stride[0] - c.padding[0] + ky * c.dilation[0];
    const ix = ox * c.stride[1] - c.padding[1] + kx * c.dilation[1];
    if (iy >= 0 && iy < h && ix >= 0 && ix < w) pos[iy * w + ix] = (pos[iy * w + ix] as number) + 1;
  }
  const coutG = c.outChannels / c.groups;
  const f = new Float64Array(h * w * cin);
  for (let p = 0; p < h * w; p++) for (let ch = 0; ch < cin; ch++) f[p * cin + ch] = (pos[p] as number) * coutG;
  return f;
}

/** Spike statistics of a calibration run: per-neuron spike counts summed over `samples` samples of `steps` steps. */
export interface SpikeStats {
  readonly samples: number;
  readonly steps: number;
  /** Per population (and for spiking inputs, the input node): spikes per neuron, channels-last. */
  readonly neuronCounts: Readonly<Record<string, ArrayLike<number>>>;
  /** Whether the graph input carries spikes (events) rather than analog values (then the first layer costs MACs). */
  readonly inputIsSpikes: boolean;
}

/**
 * Counts operations and energy per sample: exact SOPs (every input spike times its real fan-out,
 * borders included), first-layer MACs for analog input (every valid synapse every step), neuron
 * updates (every neuron every step), the equivalent ANN's MACs (every valid synapse once), and
 * energies at 45 nm (overridable constants) and with the chip's figures.
 */
export function estimateEnergy(layers: readonly HardwareLayer[], stats: SpikeStats, options: { chip?: ChipProfile; constants?: Partial<EnergyConstants>; hopWeightedTraffic?: number; inputName?: (name: string) => boolean } = {}): EnergyReport {
  const k = { ...DEFAULT_ENERGY, ...options.constants };
  const per = 1 / Math.max(1, stats.samples);
  const rows: LayerEnergy[] = [];
  for (const l of layers) {
    let sops = 0;
    let macs = 0;
    let annMacs = 0;
    for (const c of l.connections) {
      annMacs += c.synapses;
      const counts = stats.neuronCounts[c.source];
      const isInput = options.inputName ? options.inputName(c.source) : l.fromInput && !(c.source in stats.neuronCounts);
      if (counts && (!isInput || stats.inputIsSpikes)) {
        const f = fanOut(c);
        for (let i = 0; i < f.length; i++) sops += (counts[i] ?? 0) * (f[i] as number);
      } else if (isInput) macs += c.synapses * stats.steps * stats.samples;
    }
    const neuronUpdates = l.neurons * stats.steps;
    rows.push({ layer: l.name, sops: sops * per, macs: macs * per, neuronUpdates, annMacs, energy45PJ: sops * per * k.acPJ + macs * per * k.macPJ + neuronUpdates * k.neuronUpdatePJ });
  }
  const totals = rows.reduce((a, r) => ({ sops: a.sops + r.sops, macs: a.macs + r.macs, neuronUpdates: a.neuronUpdates + r.neuronUpdates, annMacs: a.annMacs + r.annMacs }), { sops: 0, macs: 0, neuronUpdates: 0, annMacs: 0 });
  const chip = options.chip;
  const syn = chip?.energy.synapticOpPJ.value ?? null;
  const neu = chip?.energy.neuronUpdatePJ.value ?? null;
  const hop = chip?.energy.hopPJ.value ?? null;
  const synapticPJ = syn === null ? null : (totals.sops + totals.macs) * syn;
  const neuronPJ = neu === null ? null : totals.neuronUpdates * neu;
  const hopPJ = hop === null || options.hopWeightedTraffic === undefined ? null : options.hopWeightedTraffic * stats.steps * hop;
  return {
    layers: rows,
    totals,
    energy45PJ: rows.reduce((a, r) => a + r.energy45PJ, 0),
    annEnergy45PJ: totals.annMacs * k.macPJ,
    chipEnergyPJ: synapticPJ === null ? null : synapticPJ + (neuronPJ ?? 0) + (hopPJ ?? 0),
    chipBreakdown: { synapticPJ, neuronPJ, hopPJ },
    constants: k,
  };
}
