import type { Flow } from './traffic.js';

/** Which chip each core goes to, and the traffic that crosses chips. */
export interface ChipAssignment {
  /** Chip index of every core id. */
  readonly chipOf: readonly number[];
  /** Chips that hold at least one core. */
  readonly chipsUsed: number;
  /** Cores on each used chip. */
  readonly coresPerChip: readonly number[];
  /** Spikes per step crossing each cut between consecutive chips (the chip order of the board). */
  readonly cutSpikes: readonly number[];
}

/**
 * Partitions cores (in layer order, as the partition numbers them) across chips in contiguous runs, as
 * few chips as hold them (`ceil(cores / coresPerChip)`), choosing the cut points that minimise the spikes
 * per step crossing chip boundaries: with chips in a line, a flow from core i to core j crosses every cut
 * between them, so the total chip-crossing traffic is the sum of the traffic across each chosen cut, which
 * a dynamic programme over cut positions minimises exactly (O(chips x cores x coresPerChip)).
 * @throws RangeError when the cores do not fit `chips x coresPerChip`
 */
export function assignChips(cores: number, flows: readonly Flow[], chips: number, coresPerChip: number): ChipAssignment {
  if (cores > chips * coresPerChip) throw new RangeError(`assignChips: ${cores} cores, got more than ${chips} chips x ${coresPerChip} cores; expected at most ${chips * coresPerChip}. Use a board with more chips.`);
  if (cores === 0) return { chipOf: [], chipsUsed: 0, coresPerChip: [], cutSpikes: [] };
  const m = Math.ceil(cores / coresPerChip);
  // cut[p]: spikes per step of flows between a core < p and a core >= p (difference array over positions)
  const diff = new Float64Array(cores + 1);
  for (const f of flows) {
    const a = Math.min(f.from, f.to);
    const b = Math.max(f.from, f.to);
    if (a === b) continue;
    diff[a + 1] = (diff[a + 1] as number) + f.spikes;
    diff[b + 1] = (diff[b + 1] as number) - f.spikes;
  }
  const cut = new Float64Array(cores + 1);
  let acc = 0;
  for (let p = 0; p <= cores; p++) {
    acc += diff[p] as number;
    cut[p] = acc;
  }
  // best[k][p]: least crossing traffic placing the first p cores on k chips, each of 1..coresPerChip cores
  const best: Float64Array[] = Array.from({ length: m + 1 }, () => new Float64Array(cores + 1).fill(Infinity));
  const from: Int32Array[] = Array.from({ length: m + 1 }, () => new Int32Array(cores + 1).fill(-1));
  (best[0] as Float64Array)[0] = 0;
  for (let k = 1; k <= m; k++) {
    const prev = best[k - 1] as Float64Array;
    const cur = best[k] as Float64Array;
    for (let p = 1; p <= cores; p++) {
      for (let q = Math.max(0, p - coresPerChip); q < p; q++) {
        const base = prev[q] as number;
        if (base === Infinity) continue;
        const c = base + (q > 0 ? (cut[q] as number) : 0);
        if (c < (cur[p] as number)) {
          cur[p] = c;
          (from[k] as Int32Array)[p] = q;
        }
      }
    }
  }
  const chipOf = new Array<number>(cores).fill(0);
  const sizes: number[] = [];
  const cutSpikes: number[] = [];
  let p = cores;
  for (let k = m; k >= 1; k--) {
    const q = (from[k] as Int32Array)[p] as number;
    for (let i = q; i < p; i++) chipOf[i] = k - 1;
    sizes.unshift(p - q);
    if (q > 0) cutSpikes.unshift(cut[q] as number);
    p = q;
  }
  return { chipOf, chipsUsed: m, coresPerChip: sizes, cutSpikes };
}
