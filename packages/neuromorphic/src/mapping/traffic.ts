import type { HardwareLayer } from './layers.js';
import { boxSize, intersect, sourceRegion, type Core, type Partition } from './partition.js';

/** Spikes per step sent from core `from` to core `to`. */
export interface Flow {
  readonly from: number;
  readonly to: number;
  readonly spikes: number;
}

/**
 * Inter-core spike traffic per step: for every core j and each of its connections, the source
 * neurons inside j's receptive region (see {@link sourceRegion}) times the source layer's firing rate
 * (spikes per neuron per step, from a calibration run), divided among j's partial sums; partial-sum
 * cores send one value per neuron per step to the core that owns the neurons. Graph inputs are off-chip.
 */
export function coreTraffic(layers: readonly HardwareLayer[], part: Partition, rates: Readonly<Record<string, number>>): Flow[] {
  const byLayer = new Map<string, Core[]>();
  for (const c of part.cores) byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c]);
  const layerByName = new Map(layers.map((l) => [l.name, l] as const));
  const flows = new Map<string, Flow>();
  const add = (from: number, to: number, s: number): void => {
    if (s <= 0 || from === to) return;
    const k = `${from}>${to}`;
    const f = flows.get(k);
    flows.set(k, { from, to, spikes: (f?.spikes ?? 0) + s });
  };
  for (const core of part.cores) {
    const layer = layerByName.get(core.layer) as HardwareLayer;
    for (const conn of layer.connections) {
      const src = byLayer.get(conn.source);
      if (!src) continue;
      const region = sourceRegion(conn, core.tile);
      const rate = rates[conn.source] ?? 0;
      for (const s of src) if (s.split === 0) add(s.id, core.id, (boxSize(intersect(s.tile, region)) * rate) / core.splits);
    }
    if (core.split > 0) {
      const owner = (byLayer.get(core.layer) ?? []).find((c) => c.split === 0 && c.tile.y[0] === core.tile.y[0] && c.tile.x[0] === core.tile.x[0] && c.tile.c[0] === core.tile.c[0]);
      if (owner) add(core.id, owner.id, core.neurons);
    }
  }
  return [...flows.values()];
}
