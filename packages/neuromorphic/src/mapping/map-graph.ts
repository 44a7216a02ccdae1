import type { HardwareGraph } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { chipCount } from '../targets/boards.js';
import type { ChipProfile } from '../targets/profile.js';
import { assignChips } from './chip-partition.js';
import { checkDesignRules, type DrcExtras, type Violation } from './drc.js';
import { hardwareLayers, type HardwareLayer } from './layers.js';
import { partition, type Core, type LayerPartition } from './partition.js';
import { placeCores, type Placement } from './placement.js';
import { coreTraffic, type Flow } from './traffic.js';

/** A layer whose fan-in exceeds a core's axons, split into partial sums on their own cores. */
export interface PartialSumSplit {
  readonly layer: string;
  readonly fanIn: number;
  readonly axonsPerCore: number;
  readonly splits: number;
  /** Cores of the layer, partial-sum cores included. */
  readonly cores: number;
  /** `<layer>: fan-in F > A axons per core: split into S partial sums on C cores` */
  readonly message: string;
}

/** How the cores spread over the chips of a board (one chip: everything on chip 0). */
export interface ChipsReport {
  readonly available: number;
  readonly used: number;
  readonly layout: readonly [number, number];
  /** `[x, y]` of each chip on the board's grid (snake order, so consecutive chips are neighbours). */
  readonly positions: readonly (readonly [number, number])[];
  readonly coresPerChip: readonly number[];
}

/** Spikes crossing chip boundaries per step, and what they cost. */
export interface InterChipTraffic {
  readonly spikesPerStep: number;
  readonly bytesPerStep: number;
  /** Spikes x chip hops per step. */
  readonly hopWeightedSpikes: number;
  readonly flows: readonly { readonly from: number; readonly to: number; readonly spikes: number }[];
}

/** The longest chain of core-to-core deliveries a time step needs, layer to layer through the graph. */
export interface StepLatency {
  /** Core-to-core hops along the critical path (a chip crossing counts as one hop of the board network, besides the hops inside the chips). */
  readonly hops: number;
  readonly chipCrossings: number;
  /** Estimated ns from the board's per-hop figures; null where none is published. */
  readonly ns: number | null;
  /** Layers along the critical path. */
  readonly path: readonly string[];
}

/** The result of mapping a graph onto a chip (or a board of chips). */
export interface Mapping {
  readonly chip: string;
  readonly layers: HardwareLayer[];
  readonly partition: LayerPartition[];
  readonly cores: (Core & { readonly chip: number; readonly position: readonly [number, number] | null })[];
  readonly violations: Violation[];
  /** Whether the chip can hold the model (no violation of severity `error`). */
  readonly fits: boolean;
  readonly flows: Flow[];
  /** Placement report (positions inside each core's chip); null when the cores do not fit. */
  readonly placement: Placement | null;
  readonly partialSums: PartialSumSplit[];
  readonly chips: ChipsReport;
  readonly interChip: InterChipTraffic;
  readonly latency: StepLatency;
}

/** Options of {@link mapGraph}. */
export interface MapOptions extends DrcExtras {
  /** Mean spikes per neuron per step of each population (calibration); default 0.1 everywhere. */
  readonly rates?: Readonly<Record<string, number>>;
  readonly placementIterations?: number;
  readonly seed?: number;
}

/** Snake (boustrophedon) position `i` on a `[columns, rows]` grid. */
const snake = (i: number, cols: number): [number, number] => {
  const y = Math.floor(i / cols);
  const x = i % cols;
  return [y % 2 === 0 ? x : cols - 1 - x, y];
};

/**
 * Maps a (folded) hardware graph onto a chip or a board of chips: hardware layers, partition into cores
 * (receptive-field axons; fan-in over a core's axons split into partial sums), design-rule check,
 * inter-core traffic from firing rates, partition of the cores across chips minimising the spikes that
 * cross chip boundaries ({@link assignChips}), placement on each chip's mesh minimising spikes x hops,
 * and the critical path of a time step. Violations do not throw: the caller decides (the CLI exits with 2 on errors).
 */
export function mapGraph(graph: HardwareGraph, chip: ChipProfile, options: MapOptions = {}): Mapping {
  const { shapes } = validateGraph(graph);
  const layers = hardwareLayers(graph, shapes);
  const part = partition(layers, chip, Math.min(options.weightBits ?? chip.weightBits.value, chip.weightBits.value));
  const violations = checkDesignRules(graph, layers, part, chip, options);
  const rates: Record<string, number> = {};
  for (const l of layers) rates[l.name] = options.rates?.[l.name] ?? 0.1;
  const flows = coreTraffic(layers, part, rates);
  const nChips = chipCount(chip);
  const perChip = chip.cores.value;
  const fitsBoard = part.cores.length <= nChips * perChip && !chip.coreKinds;
  const assign = fitsBoard ? assignChips(part.cores.length, flows, nChips, perChip) : null;
  const chipOf = assign?.chipOf ?? part.cores.map(() => 0);
  const [mx, my] = chip.mesh.value;
  const local = new Int32Array(part.cores.length);
  const members: number[][] = Array.from({ length: Math.max(1, assign?.chipsUsed ?? 1) }, () => []);
  part.cores.forEach((c) => {
    const k = chipOf[c.id] as number;
    local[c.id] = (members[k] as number[]).length;
    (members[k] as number[]).push(c.id);
  });
  let placement: Placement | null = null;
  if (members.every((m) => m.length <= mx * my)) {
    const positions: (readonly [number, number])[] = new Array(part.cores.length);
    let hop = 0;
    let initial = 0;
    let inter = 0;
    members.forEach((m, k) => {
      const lf = flows.filter((f) => chipOf[f.from] === k && chipOf[f.to] === k).map((f) => ({ from: local[f.from] as number, to: local[f.to] as number, spikes: f.spikes }));
      const p = placeCores(m.length, chip.mesh.value, lf, { iterations: options.placementIterations, seed: options.seed });
      m.forEach((id, i) => (positions[id] = p.positions[i] as readonly [number, number]));
      hop += p.hopWeightedTraffic;
      initial += p.initialHopWeightedTraffic;
      inter += p.interCoreSpikes;
    });
    placement = { positions, hopWeightedTraffic: hop, initialHopWeightedTraffic: initial, interCoreSpikes: inter };
  }
  const layout = chip.board?.layout.value ?? [1, 1];
  const chipPos = Array.from({ length: nChips }, (_, k) => snake(k, layout[0]));
  const chipHops = (a: number, b: number): number => {
    const [ax, ay] = chipPos[a] ?? [0, 0];
    const [bx, by] = chipPos[b] ?? [0, 0];
    return Math.abs(ax - bx) + Math.abs(ay - by);
  };
  const pairs = new Map<string, { from: number; to: number; spikes: number }>();
  let crossing = 0;
  let crossingHops = 0;
  for (const f of flows) {
    const a = chipOf[f.from] as number;
    const b = chipOf[f.to] as number;
    if (a === b) continue;
    crossing += f.spikes;
    crossingHops += f.spikes * chipHops(a, b);
    const key = `${a}>${b}`;
    const e = pairs.get(key) ?? { from: a, to: b, spikes: 0 };
    e.spikes += f.spikes;
    pairs.set(key, e);
  }
  const bytes = chip.board?.interChipSpikeBytes.value ?? 4;
  const partialSums: PartialSumSplit[] = part.layers.filter((p) => p.splits > 1).map((p) => ({
    layer: p.layer, fanIn: p.fanIn, axonsPerCore: chip.axonsPerCore.value, splits: p.splits, cores: p.cores,
    message: `${p.layer}: fan-in ${p.fanIn} > ${chip.axonsPerCore.value} axons per core: split into ${p.splits} partial sums on ${p.cores} cores`,
  }));
  return {
    chip: chip.name,
    layers,
    partition: part.layers,
    cores: part.cores.map((c) => ({ ...c, chip: chipOf[c.id] as number, position: placement?.positions[c.id] ?? null })),
    violations,
    fits: violations.every((v) => v.severity === 'warning'),
    flows,
    placement,
    partialSums,
    chips: { available: nChips, used: assign?.chipsUsed ?? (part.cores.length > 0 ? 1 : 0), layout, positions: chipPos, coresPerChip: assign?.coresPerChip ?? [part.cores.length] },
    interChip: { spikesPerStep: crossing, bytesPerStep: crossing * bytes, hopWeightedSpikes: crossingHops, flows: [...pairs.values()] },
    latency: criticalPath(layers, part.cores, flows, chipOf, placement, chipHops, chip),
  };
}

/**
 * Longest layer-to-layer chain of a step: each connection costs the most hops any of its flows travels
 * (Manhattan hops inside the chips, plus chip hops for flows that cross), partial sums add their hop to
 * their layer; layers are in evaluation order, so the longest path is one forward pass.
 */
function criticalPath(layers: readonly HardwareLayer[], cores: readonly Core[], flows: readonly Flow[], chipOf: readonly number[], placement: Placement | null, chipHops: (a: number, b: number) => number, chip: ChipProfile): StepLatency {
  const index = new Map(layers.map((l, i) => [l.name, i] as const));
  const layerOf = cores.map((c) => index.get(c.layer) ?? 0);
  // worst (hops, crossings) per (source layer -> target layer)
  const edge = new Map<string, { hops: number; chips: number }>();
  for (const f of flows) {
    const a = layerOf[f.from] as number;
    const b = layerOf[f.to] as number;
    const pa = placement?.positions[f.from] ?? [0, 0];
    const pb = placement?.positions[f.to] ?? [0, 0];
    const ch = chipHops(chipOf[f.from] as number, chipOf[f.to] as number);
    const hops = Math.abs(pa[0] - pb[0]) + Math.abs(pa[1] - pb[1]) + ch;
    const key = `${a}>${b}`;
    const e = edge.get(key);
    if (!e || hops > e.hops) edge.set(key, { hops, chips: ch });
  }
  const best = layers.map(() => ({ hops: 0, chips: 0, prev: -1 }));
  for (let b = 0; b < layers.length; b++) {
    const self = edge.get(`${b}>${b}`);
    for (let a = 0; a < b; a++) {
      const e = edge.get(`${a}>${b}`);
      const from = best[a] as { hops: number; chips: number };
      if (e && from.hops + e.hops > (best[b] as { hops: number }).hops) best[b] = { hops: from.hops + e.hops, chips: from.chips + e.chips, prev: a };
    }
    if (self) best[b] = { ...(best[b] as { hops: number; chips: number; prev: number }), hops: (best[b] as { hops: number }).hops + self.hops, chips: (best[b] as { chips: number }).chips + self.chips };
  }
  let end = 0;
  best.forEach((x, i) => {
    if (x.hops > (best[end] as { hops: number }).hops) end = i;
  });
  const path: string[] = [];
  for (let i = layers.length ? end : -1; i >= 0; i = (best[i] as { prev: number }).prev) path.unshift((layers[i] as HardwareLayer).name);
  const top = best[end] ?? { hops: 0, chips: 0 };
  const hopNs = chip.board?.hopNs.value ?? null;
  const chipNs = chip.board?.interChipHopNs.value ?? null;
  const ns = hopNs === null || (top.chips > 0 && chipNs === null) ? null : (top.hops - top.chips) * hopNs + top.chips * (chipNs ?? 0);
  return { hops: top.hops, chipCrossings: top.chips, ns, path };
}
