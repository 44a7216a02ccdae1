import type { Flow } from './traffic.js';
import { seededRandom } from '@deepspike/core';

/** Core positions on the mesh and the traffic they cause. */
export interface Placement {
  /** `[x, y]` of every core id. */
  readonly positions: readonly (readonly [number, number])[];
  /** Sum over flows of spikes/step x Manhattan hops, for this placement. */
  readonly hopWeightedTraffic: number;
  /** The same for the initial row-by-row (snake) placement, for comparison. */
  readonly initialHopWeightedTraffic: number;
  /** Spikes per step between different cores. */
  readonly interCoreSpikes: number;
}


/**
 * Places `cores` cores on a `mesh[0] x mesh[1]` 2-D mesh minimising `sum(spikes x hops)` (Manhattan
 * hops, XY routing): start from a snake (boustrophedon) order of core ids, which keeps consecutive
 * layers close, then improve by seeded random swaps/moves that lower the cost (hill climbing).
 * @throws RangeError when there are more cores than mesh positions (the DRC reports this first)
 */
export function placeCores(cores: number, mesh: readonly [number, number], flows: readonly Flow[], options: { iterations?: number; seed?: number } = {}): Placement {
  const [X, Y] = mesh;
  const slots = X * Y;
  if (cores > slots) throw new RangeError(`placeCores: ${cores} cores, got more than the ${slots} mesh positions; expected at most ${slots}. Use a bigger chip or fewer cores.`);
  const snake = (i: number): [number, number] => {
    const y = Math.floor(i / X);
    const x = i % X;
    return [y % 2 === 0 ? x : X - 1 - x, y];
  };
  const slotOf = new Int32Array(cores);
  const coreAt = new Int32Array(slots).fill(-1);
  for (let i = 0; i < cores; i++) {
    slotOf[i] = i;
    coreAt[i] = i;
  }
  const pos = (slot: number): [number, number] => snake(slot);
  const adj: { other: number; w: number }[][] = Array.from({ length: cores }, () => []);
  let inter = 0;
  for (const f of flows) {
    if (f.from === f.to) continue;
    inter += f.spikes;
    adj[f.from]?.push({ other: f.to, w: f.spikes });
    adj[f.to]?.push({ other: f.from, w: f.spikes });
  }
  const dist = (a: number, b: number): number => {
    const [ax, ay] = pos(a);
    const [bx, by] = pos(b);
    return Math.abs(ax - bx) + Math.abs(ay - by);
  };
  const total = (): number => flows.reduce((s, f) => s + f.spikes * dist(slotOf[f.from] as number, slotOf[f.to] as number), 0);
  const initial = total();
  const local = (c: number, slot: number, ignore = -1): number => {
    let s = 0;
    for (const e of adj[c] ?? []) if (e.other !== ignore) s += e.w * dist(slot, slotOf[e.other] as number);
    return s;
  };
  const rand = seededRandom(options.seed ?? 1);
  const iterations = options.iterations ?? Math.min(400_000, 20_000 + 40 * cores);
  if (flows.length > 0 && cores > 1) {
    for (let it = 0; it < iterations; it++) {
      const a = Math.floor(rand() * cores);
      const target = Math.floor(rand() * slots);
      const sa = slotOf[a] as number;
      if (target === sa) continue;
      const b = coreAt[target] as number;
      let delta = local(a, target, b) - local(a, sa, b);
      if (b >= 0) delta += local(b, sa, a) - local(b, target, a);
      if (delta < -1e-12) {
        slotOf[a] = target;
        coreAt[target] = a;
        coreAt[sa] = b;
        if (b >= 0) slotOf[b] = sa;
      }
    }
  }
  return { positions: Array.from(slotOf, (s) => pos(s)), hopWeightedTraffic: total(), initialHopWeightedTraffic: initial, interCoreSpikes: inter };
}
