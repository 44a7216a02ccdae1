import type { ChipProfile } from '../targets/profile.js';
import type { Connection, HardwareLayer } from './layers.js';

/** A box of neurons of a channels-last population: rows, columns, channels (half-open ranges). */
export interface Box {
  readonly y: readonly [number, number];
  readonly x: readonly [number, number];
  readonly c: readonly [number, number];
}

/** One core of the mapping: a tile of a layer's neurons, or one partial sum of an oversized fan-in. */
export interface Core {
  readonly id: number;
  readonly layer: string;
  readonly tile: Box;
  /** Partial-sum index when the layer's fan-in was split (0 otherwise), and the number of splits. */
  readonly split: number;
  readonly splits: number;
  readonly neurons: number;
  readonly axons: number;
  readonly synapseBits: number;
  /** Fractions of the core's neuron, axon and synapse-memory capacity used. */
  readonly utilisation: { readonly neurons: number; readonly axons: number; readonly synapses: number };
}

/** How one layer was tiled. */
export interface LayerPartition {
  readonly layer: string;
  readonly tile: readonly [number, number, number];
  readonly splits: number;
  readonly cores: number;
  readonly fanIn: number;
  readonly axonsPerTile: number;
}

/** The partition of every layer onto cores. */
export interface Partition {
  readonly cores: Core[];
  readonly layers: LayerPartition[];
}

/** `[H, W, C]` of a layer (flat layers are `[1, 1, n]`). */
export function box3(shape: readonly number[]): [number, number, number] {
  if (shape.length === 3) return shape as [number, number, number];
  return [1, 1, shape.reduce((a, b) => a * b, 1)];
}

/**
 * The region of the source population a tile of a connection's output depends on: for a conv, the
 * receptive field `(t - 1)*s + (k - 1)*d + 1` rows/columns (clipped to the input) over the tile's input
 * channel group; through a pool, the pool windows of that region; linear or flatten: everything.
 */
export function sourceRegion(conn: Connection, tile: Box, inputChannels?: readonly [number, number]): Box {
  const src = box3(conn.sourceShape);
  const all: Box = { y: [0, src[0]], x: [0, src[1]], c: [0, src[2]] };
  const s = conn.synapse;
  if (s?.kind === 'linear' || conn.routes.some((r) => r.kind === 'flatten')) return all;
  let region: Box;
  const [ih, iw, ic] = box3(conn.synapseInShape);
  if (s?.kind === 'conv') {
    const rows = (t: readonly [number, number], k: number, st: number, p: number, d: number, n: number): [number, number] => [
      Math.max(0, t[0] * st - p), Math.min(n, (t[1] - 1) * st - p + (k - 1) * d + 1),
    ];
    const cinG = s.inChannels / s.groups;
    const coutG = s.outChannels / s.groups;
    const g0 = Math.floor(tile.c[0] / coutG);
    const g1 = Math.floor((tile.c[1] - 1) / coutG);
    const ch: readonly [number, number] = inputChannels ?? [g0 * cinG, Math.min(ic, (g1 + 1) * cinG)];
    region = { y: rows(tile.y, s.kernel[0], s.stride[0], s.padding[0], s.dilation[0], ih), x: rows(tile.x, s.kernel[1], s.stride[1], s.padding[1], s.dilation[1], iw), c: ch };
  } else region = { ...tile };
  for (let i = conn.routes.length - 1; i >= 0; i--) {
    const r = conn.routes[i];
    if (r?.kind !== 'pool') continue;
    const [ph, pw] = box3(r.inShape);
    const p = r.node;
    region = {
      y: [Math.max(0, region.y[0] * p.stride[0] - p.padding[0]), Math.min(ph, (region.y[1] - 1) * p.stride[0] - p.padding[0] + p.kernel[0])],
      x: [Math.max(0, region.x[0] * p.stride[1] - p.padding[1]), Math.min(pw, (region.x[1] - 1) * p.stride[1] - p.padding[1] + p.kernel[1])],
      c: region.c,
    };
  }
  return region;
}

/** Number of neurons in a box. */
export const boxSize = (b: Box): number => Math.max(0, b.y[1] - b.y[0]) * Math.max(0, b.x[1] - b.x[0]) * Math.max(0, b.c[1] - b.c[0]);

/** Intersection of two boxes. */
export const intersect = (a: Box, b: Box): Box => ({
  y: [Math.max(a.y[0], b.y[0]), Math.min(a.y[1], b.y[1])],
  x: [Math.max(a.x[0], b.x[0]), Math.min(a.x[1], b.x[1])],
  c: [Math.max(a.c[0], b.c[0]), Math.min(a.c[1], b.c[1])],
});

/** Distinct input axons a tile needs: the sum of the source regions of its connections. */
export function tileAxons(layer: HardwareLayer, tile: Box, splits = 1): number {
  let a = 0;
  for (const c of layer.connections) a += Math.ceil(boxSize(sourceRegion(c, tile)) / splits);
  return a;
}

function candidates(n: number): number[] {
  const s = new Set<number>([n]);
  for (let d = 1; d <= n; d++) s.add(Math.ceil(n / d));
  return [...s].sort((a, b) => b - a);
}

/**
 * Tiles every layer onto cores of `chip`: the largest tile `th x tw x tc` of output neurons whose
 * axons (receptive-field formula per connection), neurons and synapse memory fit one core. When even
 * one neuron's fan-in exceeds the axons of a core, the input is split into `ceil(fanIn / axons)`
 * partial sums, each on its own cores.
 */
export function partition(layers: readonly HardwareLayer[], chip: ChipProfile, weightBits = chip.weightBits.value): Partition {
  const N = chip.neuronsPerCore.value;
  const A = chip.axonsPerCore.value;
  const S = chip.synapseBitsPerCore.value;
  const cores: Core[] = [];
  const parts: LayerPartition[] = [];
  for (const layer of layers) {
    const [H, W, C] = box3(layer.shape);
    const splits = Math.max(1, Math.ceil(layer.fanIn / A));
    let best: { t: [number, number, number]; axons: number; syn: number } | null = null;
    for (const tc of candidates(C)) {
      for (const th of candidates(H)) {
        for (const tw of candidates(W)) {
          const n = th * tw * tc;
          if (n > N || (best && n <= best.t[0] * best.t[1] * best.t[2])) continue;
          // an interior tile: border tiles have clipped receptive fields and need fewer axons
          const y0 = th * Math.floor(Math.floor(H / th) / 2);
          const x0 = tw * Math.floor(Math.floor(W / tw) / 2);
          const tile: Box = { y: [y0, Math.min(H, y0 + th)], x: [x0, Math.min(W, x0 + tw)], c: [0, tc] };
          const axons = tileAxons(layer, tile, splits);
          const syn = (n * layer.fanIn * weightBits) / splits;
          if (axons > A || (S !== null && syn > S)) continue;
          best = { t: [th, tw, tc], axons, syn };
        }
      }
    }
    const t = best?.t ?? [1, 1, 1];
    const [th, tw, tc] = t;
    let count = 0;
    for (let s = 0; s < splits; s++) {
      for (let y = 0; y < H; y += th) for (let x = 0; x < W; x += tw) for (let c = 0; c < C; c += tc) {
        const tile: Box = { y: [y, Math.min(H, y + th)], x: [x, Math.min(W, x + tw)], c: [c, Math.min(C, c + tc)] };
        const neurons = boxSize(tile);
        const axons = tileAxons(layer, tile, splits);
        const synapseBits = (neurons * layer.fanIn * weightBits) / splits;
        cores.push({
          id: cores.length, layer: layer.name, tile, split: s, splits, neurons, axons, synapseBits,
          utilisation: { neurons: neurons / N, axons: axons / A, synapses: S === null ? (axons * neurons) / (A * N) : synapseBits / S },
        });
        count++;
      }
    }
    parts.push({ layer: layer.name, tile: t, splits, cores: count, fanIn: layer.fanIn, axonsPerTile: best?.axons ?? tileAxons(layer, { y: [0, 1], x: [0, 1], c: [0, 1] }, splits) });
  }
  return { cores, layers: parts };
}
