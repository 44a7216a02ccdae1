import { sizeOf } from '../graph/params.js';
import type { NodeShapes } from '../graph/shapes.js';
import type { ConvNode, GraphNode, HardwareGraph, LinearNode, PoolNode } from '../graph/types.js';

/** A step between a source population and a synaptic node that only moves/reduces spikes. */
export type Route = { readonly kind: 'pool'; readonly node: PoolNode; readonly inShape: readonly number[] } | { readonly kind: 'flatten' } | { readonly kind: 'scale' };

/** One set of synapses into a hardware layer. */
export interface Connection {
  /** The presynaptic population (or graph input) the spikes come from. */
  readonly source: string;
  readonly sourceShape: readonly number[];
  /** The conv/linear node, or null for an identity edge (a residual shortcut). */
  readonly synapse: ConvNode | LinearNode | null;
  /** Shape the synapse node receives (after the routes). */
  readonly synapseInShape: readonly number[];
  /** Pools/flattens between the source and the synapse, source side first. */
  readonly routes: readonly Route[];
  /** Synaptic inputs per postsynaptic neuron (conv: kh*kw*cin/groups; linear: in; identity: 1), times the area of any pool on the way. */
  readonly fanIn: number;
  /** Exact number of synapses (borders excluded). */
  readonly synapses: number;
}

/** A population of neurons to place on cores, with everything that feeds it. */
export interface HardwareLayer {
  readonly name: string;
  /** `population`, or `readout` for an output fed straight by a synaptic layer (non-spiking accumulators). */
  readonly role: 'population' | 'readout';
  readonly shape: readonly number[];
  readonly neurons: number;
  readonly connections: readonly Connection[];
  /** Total fan-in per neuron. */
  readonly fanIn: number;
  readonly synapses: number;
  /** Whether a connection comes from the graph input (the first layer; analog input -> MACs). */
  readonly fromInput: boolean;
}

/** Valid taps of a conv summed over all outputs: the exact synapse count per output channel group. */
export function convSynapses(c: ConvNode, inShape: readonly number[], outShape: readonly number[]): number {
  const [h, w] = inShape as [number, number];
  const [ho, wo, cout] = outShape as [number, number, number];
  let taps = 0;
  for (let oy = 0; oy < ho; oy++) for (let ky = 0; ky < c.kernel[0]; ky++) {
    const iy = oy * c.stride[0] - c.padding[0] + ky * c.dilation[0];
    if (iy < 0 || iy >= h) continue;
    for (let ox = 0; ox < wo; ox++) for (let kx = 0; kx < c.kernel[1]; kx++) {
      const ix = ox * c.stride[1] - c.padding[1] + kx * c.dilation[1];
      if (ix >= 0 && ix < w) taps++;
    }
  }
  return taps * (c.inChannels / c.groups) * cout;
}

/**
 * Extracts the hardware layers of a graph: every population (and every output fed by a synaptic
 * node: the readout accumulators), with its incoming connections traced back through pools,
 * flattens and scales to the presynaptic population or input.
 */
export function hardwareLayers(graph: HardwareGraph, shapes: Map<string, NodeShapes>): HardwareLayer[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  const preds = (name: string): GraphNode[] => graph.edges.filter((e) => e.to === name).map((e) => byName.get(e.from) as GraphNode);
  const trace = (start: GraphNode): { source: GraphNode; routes: Route[] }[] => {
    if (start.kind === 'population' || start.kind === 'input') return [{ source: start, routes: [] }];
    const r: Route | null = start.kind === 'pool' ? { kind: 'pool', node: start, inShape: shapes.get(start.name)?.in ?? [] } : start.kind === 'flatten' ? { kind: 'flatten' } : start.kind === 'scale' || start.kind === 'affine' ? { kind: 'scale' } : null;
    if (!r) return [];
    return preds(start.name).flatMap((p) => trace(p).map((t) => ({ source: t.source, routes: [...t.routes, r] })));
  };
  const layers: HardwareLayer[] = [];
  for (const n of graph.nodes) {
    if (n.kind !== 'population' && n.kind !== 'output') continue;
    const conns: Connection[] = [];
    const walk = (p: GraphNode): void => {
      if (p.kind === 'conv' || p.kind === 'linear') {
        const inShape = shapes.get(p.name)?.in ?? [];
        const outShape = shapes.get(p.name)?.out ?? [];
        for (const q of preds(p.name)) {
          for (const t of trace(q)) {
            // a pool between the source and the synapse is merged into the weights: every pooled neuron is an axon
            const area = t.routes.reduce((a, r) => a * (r.kind === 'pool' ? r.node.kernel[0] * r.node.kernel[1] : 1), 1);
            const fanIn = area * (p.kind === 'conv' ? p.kernel[0] * p.kernel[1] * (p.inChannels / p.groups) : p.inFeatures);
            const synapses = area * (p.kind === 'conv' ? convSynapses(p, inShape, outShape) : p.inFeatures * p.outFeatures);
            conns.push({ source: t.source.name, sourceShape: shapes.get(t.source.name)?.out ?? [], synapse: p, synapseInShape: inShape, routes: t.routes, fanIn, synapses });
          }
        }
      } else if (p.kind === 'affine' || p.kind === 'scale') {
        for (const q of preds(p.name)) walk(q);
      } else {
        for (const t of trace(p)) {
          const area = t.routes.reduce((a, r) => a * (r.kind === 'pool' ? r.node.kernel[0] * r.node.kernel[1] : 1), 1);
          conns.push({ source: t.source.name, sourceShape: shapes.get(t.source.name)?.out ?? [], synapse: null, synapseInShape: shapes.get(n.name)?.in ?? [], routes: t.routes, fanIn: area, synapses: sizeOf(shapes.get(n.name)?.in ?? []) * area });
        }
      }
    };
    for (const p of preds(n.name)) walk(p);
    if (n.kind === 'output' && !conns.some((c) => c.synapse)) continue;
    const shape = shapes.get(n.name)?.out ?? [];
    layers.push({
      name: n.name,
      role: n.kind === 'population' ? 'population' : 'readout',
      shape,
      neurons: sizeOf(shape),
      connections: conns,
      fanIn: conns.reduce((a, c) => a + c.fanIn, 0),
      synapses: conns.reduce((a, c) => a + c.synapses, 0),
      fromInput: conns.some((c) => byName.get(c.source)?.kind === 'input'),
    });
  }
  return layers;
}
