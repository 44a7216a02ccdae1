import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from '@deepspike/core';
import { foldGraph, type FoldMode, type FoldRecord } from '../fold/fold.js';
import type { HardwareGraph } from '../graph/types.js';
import { modelToGraph } from '../convert/model-to-graph.js';
import { compareOnBatch, type RunnableModel } from '../convert/verify.js';
import { estimateEnergy, type EnergyConstants, type EnergyReport } from '../mapping/energy.js';
import { mapGraph, type InterChipTraffic, type PartialSumSplit, type StepLatency } from '../mapping/map-graph.js';
import { hardwareLayers } from '../mapping/layers.js';
import { matchLayersToCores, speckNeed } from '../mapping/speck-match.js';
import { validateGraph } from '../graph/validate.js';
import { chipCount } from '../targets/boards.js';
import type { Violation } from '../mapping/drc.js';
import { quantizeGraph, type LayerQuant, type QuantizedGraph } from '../quant/quantize.js';
import type { ChipProfile } from '../targets/profile.js';

/** Options of {@link mapModel}. */
export interface MapModelOptions {
  readonly inputShape: readonly number[];
  readonly readout?: 'membrane' | 'rate' | 'tet';
  readonly chip: ChipProfile;
  readonly bits: number;
  readonly fold: FoldMode;
  /**
   * Test batches for calibration (firing rates, SOPs) and verification; labels optional. Empty: no
   * verification (mapping needs no data), firing rates assumed 0.1 spikes per neuron per step.
   */
  readonly batches: readonly { readonly x: Tensor; readonly y?: ArrayLike<number> }[];
  readonly energy?: Partial<EnergyConstants>;
  readonly modelName?: string;
}

/** Everything `deepspike map` writes to mapping.json. */
export interface MappingReport {
  readonly model: string;
  readonly target: string;
  /** One chip's figures (`cores` per chip). */
  readonly chip: { readonly cores: number; readonly mesh: readonly [number, number]; readonly neuronsPerCore: number; readonly axonsPerCore: number; readonly description: string };
  /** The board: chips available and used, their grid and positions, cores on each (one chip: `chips` 1). */
  readonly board: { readonly name: string | null; readonly chips: number; readonly chipsUsed: number; readonly layout: readonly [number, number]; readonly positions: readonly (readonly [number, number])[]; readonly coresPerChip: readonly number[]; readonly verified: boolean };
  readonly bits: number;
  readonly fold: FoldMode;
  readonly scheme: string;
  readonly fits: boolean;
  readonly violations: Violation[];
  readonly cores: {
    readonly used: number;
    readonly available: number;
    readonly perCore: { id: number; layer: string; chip: number; position: readonly [number, number] | null; neurons: number; axons: number; split: number; utilisation: { neurons: number; axons: number; synapses: number } }[];
  };
  /** Per layer; `memory` (Speck/DynapCNN: kernel and neuron memory entries by the sinabs formulas, and the core the matching gave it) only on chips with core kinds. */
  readonly layers: { layer: string; neurons: number; fanIn: number; synapses: number; cores: number; tile: readonly [number, number, number]; splits: number; firingRate: number; memory?: { kernel: number; neuron: number; core: number | null } }[];
  /** Layers whose fan-in was split into partial sums (not a violation: their cores count against the chip). */
  readonly partialSums: PartialSumSplit[];
  readonly traffic: {
    readonly interCoreSpikesPerStep: number;
    readonly hopWeightedTraffic: number | null;
    readonly initialHopWeightedTraffic: number | null;
    /** Spikes per step crossing chip boundaries, their bytes, spikes x chip hops, and per chip pair. */
    readonly interChipSpikesPerStep: number;
    readonly interChipBytesPerStep: number;
    readonly interChipHopWeighted: number;
    readonly chipFlows: InterChipTraffic['flows'];
  };
  /** The critical path of one time step (hops, chip crossings, ns where the board publishes figures). */
  readonly latency: StepLatency;
  readonly sops: number;
  readonly energy: EnergyReport;
  readonly folding: FoldRecord[];
  readonly quantization: LayerQuant[];
  readonly verify: {
    readonly samples: number;
    readonly floatVsModel: number;
    readonly intVsFloat: number;
    readonly spikeMismatchRate: number;
    readonly accuracy: { readonly model: number | null; readonly float: number | null; readonly int: number | null };
    readonly firingRate: { readonly float: number; readonly int: number; readonly relativeChange: number };
    /** Membrane potentials (and partial sums) the integer simulator clipped to the chip's state range. */
    readonly saturations: number;
    readonly partialSumSaturations: number;
    /** Per population, in graph order: fraction of (neuron, step) pairs where the integer and float spike trains agree. */
    readonly layers: { readonly layer: string; readonly spikeTrainMatch: number; readonly floatSpikes: number; readonly intSpikes: number }[];
    /** The first population (graph order) whose integer spike trains differ from the float ones; null if none. */
    readonly firstDivergingLayer: string | null;
  };
  /** Fraction of verification samples where integer and float predictions agree; null without verification. */
  readonly agreement: number | null;
}

/**
 * The whole hardware flow for a trained model: model -> graph -> fold (tdBN) -> quantise at the chip's
 * scheme -> verify on test batches (model vs folded float graph vs integer event-driven graph) ->
 * partition, DRC, placement with the measured firing rates -> energy from the measured spikes.
 * long-function: the hardware flow in order, a call per step; its length is the list of steps and the report's fields.
 */
export function mapModel(model: RunnableModel & Layer, options: MapModelOptions): { report: MappingReport; folded: HardwareGraph; quantized: QuantizedGraph } {
  const chip = options.chip;
  const populations = new Map<Layer, string>();
  const unfolded = modelToGraph(model, { inputShape: options.inputShape, timesteps: model.timesteps, readout: options.readout ?? 'membrane', populations });
  const { graph: folded, records } = foldGraph(unfolded, { mode: options.fold, perNeuronThreshold: chip.perNeuronThreshold.value });
  const q = quantizeGraph(folded, { bits: options.bits, scheme: chip.quantScheme, stateBits: chip.stateBits.value, decayBits: chip.decayBits.value || 12 });
  // fan-in over a core's axons: the integer simulator computes those synapses as the chip will, in partial sums
  const partialSums: Record<string, number> = {};
  for (const l of hardwareLayers(folded, validateGraph(folded).shapes)) {
    for (const c of l.connections) if (c.synapse && c.fanIn > chip.axonsPerCore.value) partialSums[c.synapse.name] = Math.ceil(c.fanIn / chip.axonsPerCore.value);
  }
  const layerMatch = new Map<string, { matches: number; compared: number; floatSpikes: number; intSpikes: number }>();
  let samples = 0;
  let floatAgree = 0;
  let intAgree = 0;
  let mism = 0;
  let compared = 0;
  let intSpikes = 0;
  let floatSpikes = 0;
  let labelled = 0;
  let saturations = 0;
  let partialSumSaturations = 0;
  const correct = { model: 0, float: 0, int: 0 };
  const counts: Record<string, Float64Array> = {};
  for (const b of options.batches) {
    const r = compareOnBatch(model, folded, populations, b.x, q, { partialSums });
    saturations += r.saturations;
    partialSumSaturations += r.partialSumSaturations;
    for (const l of r.layers) {
      const acc = layerMatch.get(l.layer) ?? { matches: 0, compared: 0, floatSpikes: 0, intSpikes: 0 };
      acc.matches += l.matches;
      acc.compared += l.compared;
      acc.floatSpikes += l.floatSpikes;
      acc.intSpikes += l.intSpikes;
      layerMatch.set(l.layer, acc);
    }
    samples += r.samples;
    floatAgree += r.floatAgree;
    intAgree += r.intAgree;
    mism += r.spikeMismatches;
    compared += r.spikesCompared;
    intSpikes += r.intSpikes;
    floatSpikes += r.floatSpikes;
    for (const [k, v] of Object.entries(r.neuronCounts)) {
      const acc = (counts[k] ??= new Float64Array(v.length));
      v.forEach((c, i) => (acc[i] = (acc[i] as number) + c));
    }
    if (b.y) {
      r.predictions.forEach((p, i) => {
        const label = b.y?.[i] as number;
        labelled++;
        if (p.model === label) correct.model++;
        if (p.float === label) correct.float++;
        if (p.int === label) correct.int++;
      });
    }
  }

  const rates: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) rates[k] = v.reduce((a, c) => a + c, 0) / (v.length * model.timesteps * Math.max(1, samples));
  const distinctWeights = Object.fromEntries(q.layers.map((l) => [l.layer, l.distinctWeights]));
  const thresholdBits = Object.fromEntries(q.layers.map((l) => [l.layer, l.thresholdBits]));
  const thresholdReachBits = Object.fromEntries(q.layers.map((l) => [l.layer, l.thresholdReachBits]));
  const m = mapGraph(folded, chip, { rates, weightBits: options.bits, distinctWeights, thresholdBits, thresholdReachBits });
  const isInput = (name: string): boolean => folded.nodes.find((n) => n.name === name)?.kind === 'input';
  // without verification, energy is estimated from the assumed rate (0.1 spikes per neuron per step)
  const assumed: Record<string, Float64Array> = {};
  if (samples === 0) for (const l of m.layers) if (l.role === 'population') assumed[l.name] = new Float64Array(l.neurons).fill((rates[l.name] ?? 0.1) * model.timesteps);
  const energy = estimateEnergy(m.layers, { samples: Math.max(1, samples), steps: model.timesteps, neuronCounts: samples === 0 ? assumed : counts, inputIsSpikes: false }, {
    chip, constants: options.energy, hopWeightedTraffic: m.placement?.hopWeightedTraffic, inputName: isInput,
  });
  const needs = chip.coreKinds ? m.layers.map(speckNeed) : [];
  const speckCores = chip.coreKinds && needs.length <= chip.coreKinds.value.length ? matchLayersToCores(needs, chip.coreKinds.value) : needs.map(() => null);
  const verifiedLayers = [...layerMatch.entries()].map(([layer, v]) => ({ layer, spikeTrainMatch: v.compared ? v.matches / v.compared : 1, floatSpikes: v.floatSpikes, intSpikes: v.intSpikes }));
  const board = chip.board;
  const report: MappingReport = {
    model: options.modelName ?? model.name,
    target: chip.name,
    chip: { cores: chip.cores.value, mesh: chip.mesh.value, neuronsPerCore: chip.neuronsPerCore.value, axonsPerCore: chip.axonsPerCore.value, description: chip.description },
    board: {
      name: board?.name ?? null, chips: chipCount(chip), chipsUsed: m.chips.used, layout: m.chips.layout, positions: m.chips.positions, coresPerChip: m.chips.coresPerChip,
      verified: board ? board.chips.verified && board.layout.verified : true,
    },
    bits: options.bits,
    fold: options.fold,
    scheme: chip.quantScheme,
    fits: m.fits,
    violations: m.violations,
    cores: {
      // Speck-like chips hold one layer per core (matched by memory), not tiles
      used: chip.coreKinds ? m.layers.length : m.cores.length,
      available: chip.cores.value * chipCount(chip),
      perCore: m.cores.map((c) => ({ id: c.id, layer: c.layer, chip: c.chip, position: c.position, neurons: c.neurons, axons: c.axons, split: c.split, utilisation: c.utilisation })),
    },
    layers: m.layers.map((l, i) => {
      const p = m.partition.find((x) => x.layer === l.name);
      const need = needs[i];
      return {
        layer: l.name, neurons: l.neurons, fanIn: l.fanIn, synapses: l.synapses, cores: p?.cores ?? 0, tile: p?.tile ?? [0, 0, 0], splits: p?.splits ?? 1, firingRate: rates[l.name] ?? (samples ? 0 : 0.1),
        ...(need ? { memory: { kernel: need.kernelMemory, neuron: need.neuronMemory, core: speckCores[i] ?? null } } : {}),
      };
    }),
    partialSums: m.partialSums,
    traffic: {
      interCoreSpikesPerStep: m.flows.reduce((a, f) => a + f.spikes, 0), hopWeightedTraffic: m.placement?.hopWeightedTraffic ?? null, initialHopWeightedTraffic: m.placement?.initialHopWeightedTraffic ?? null,
      interChipSpikesPerStep: m.interChip.spikesPerStep, interChipBytesPerStep: m.interChip.bytesPerStep, interChipHopWeighted: m.interChip.hopWeightedSpikes, chipFlows: m.interChip.flows,
    },
    latency: m.latency,
    sops: energy.totals.sops,
    energy,
    folding: records,
    quantization: q.layers,
    verify: {
      samples,
      floatVsModel: samples ? floatAgree / samples : 0,
      intVsFloat: samples ? intAgree / samples : 0,
      spikeMismatchRate: compared ? mism / compared : 0,
      accuracy: labelled ? { model: correct.model / labelled, float: correct.float / labelled, int: correct.int / labelled } : { model: null, float: null, int: null },
      firingRate: { float: floatSpikes, int: intSpikes, relativeChange: floatSpikes ? (intSpikes - floatSpikes) / floatSpikes : 0 },
      saturations,
      partialSumSaturations,
      layers: verifiedLayers,
      firstDivergingLayer: verifiedLayers.find((l) => l.spikeTrainMatch < 1)?.layer ?? null,
    },
    agreement: samples ? intAgree / samples : null,
  };
  return { report, folded, quantized: q };
}
