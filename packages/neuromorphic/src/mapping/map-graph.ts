import type { HardwareGraph } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import type { ChipProfile } from '../targets/profile.js';
import { checkDesignRules, type DrcExtras, type Violation } from './drc.js';
import { hardwareLayers, type HardwareLayer } from './layers.js';
import { partition, type Core, type LayerPartition } from './partition.js';
import { placeCores, type Placement } from './placement.js';
import { coreTraffic, type Flow } from './traffic.js';

/** The result of mapping a graph onto a chip. */
export interface Mapping {
  readonly chip: string;
  readonly layers: HardwareLayer[];
  readonly partition: LayerPartition[];
  readonly cores: (Core & { readonly position: readonly [number, number] | null })[];
  readonly violations: Violation[];
  /** Whether the chip can hold the model (no violation of severity `error`). */
  readonly fits: boolean;
  readonly flows: Flow[];
  /** Placement report; null when the cores do not fit the mesh. */
  readonly placement: Placement | null;
}

/** Options of {@link mapGraph}. */
export interface MapOptions extends DrcExtras {
  /** Mean spikes per neuron per step of each population (calibration); default 0.1 everywhere. */
  readonly rates?: Readonly<Record<string, number>>;
  readonly placementIterations?: number;
  readonly seed?: number;
}

/**
 * Maps a (folded) hardware graph onto a chip: hardware layers, partition into cores (receptive-field
 * axons, split fan-in), design-rule check, inter-core traffic from firing rates, and mesh placement
 * minimising spikes x hops. Violations do not throw: the caller decides (the CLI exits with 2 on errors).
 */
export function mapGraph(graph: HardwareGraph, chip: ChipProfile, options: MapOptions = {}): Mapping {
  const { shapes } = validateGraph(graph);
  const layers = hardwareLayers(graph, shapes);
  const part = partition(layers, chip, Math.min(options.weightBits ?? chip.weightBits.value, chip.weightBits.value));
  const violations = checkDesignRules(graph, layers, part, chip, options);
  const rates: Record<string, number> = {};
  for (const l of layers) rates[l.name] = options.rates?.[l.name] ?? 0.1;
  const flows = coreTraffic(layers, part, rates);
  const [mx, my] = chip.mesh.value;
  const placement = part.cores.length <= mx * my ? placeCores(part.cores.length, chip.mesh.value, flows, { iterations: options.placementIterations, seed: options.seed }) : null;
  return {
    chip: chip.name,
    layers,
    partition: part.layers,
    cores: part.cores.map((c) => ({ ...c, position: placement?.positions[c.id] ?? null })),
    violations,
    fits: violations.every((v) => v.severity === 'warning'),
    flows,
    placement,
  };
}
