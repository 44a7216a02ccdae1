import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../messages.js';
import { channelsOf, sizeOf } from './params.js';
import type { ConvNode, GraphNode, HardwareGraph, PoolNode } from './types.js';

/** A graph that breaks a structural rule (dangling edge, shape mismatch, bad parameter). */
export class GraphError extends DeepSpikeError {}

/** Input and output shape of every node, inferred along the edges. */
export interface NodeShapes {
  readonly in: readonly number[];
  readonly out: readonly number[];
}

/** Output spatial size of a convolution along one axis: `floor((n + 2p - d(k-1) - 1)/s) + 1`. */
export function convOutSize(n: number, k: number, s: number, p: number, d = 1, pEnd = p): number {
  return Math.floor((n + p + pEnd - d * (k - 1) - 1) / s) + 1;
}

function outShape(node: GraphNode, inShape: readonly number[], where: string): readonly number[] {
  switch (node.kind) {
    case 'input':
      return node.shape;
    case 'output':
    case 'scale':
      return inShape;
    case 'affine':
      if (channelsOf(inShape) !== node.scale.length) throw new GraphError(messages.badInput(where, node.name, 'has per-channel factors of the wrong length', String(node.scale.length), String(channelsOf(inShape))));
      return inShape;
    case 'population':
      return node.shape;
    case 'linear':
      if (sizeOf(inShape) !== node.inFeatures || inShape.length !== 1) {
        throw new GraphError(messages.badInput(where, node.name, 'receives a tensor of the wrong size', `[${inShape.join(',')}]`, `[${node.inFeatures}]`));
      }
      return [node.outFeatures];
    case 'flatten':
      return [sizeOf(inShape)];
    case 'conv':
    case 'pool': {
      if (inShape.length !== 3) throw new GraphError(messages.badInput(where, node.name, 'needs a [H, W, C] input', `[${inShape.join(',')}]`, 'rank 3'));
      const [h, w, c] = inShape as [number, number, number];
      if (node.kind === 'conv') return convShape(node, h, w, c, where);
      return poolShape(node, h, w, c, where);
    }
  }
}

function convShape(node: ConvNode, h: number, w: number, c: number, where: string): number[] {
  if (c !== node.inChannels) throw new GraphError(messages.badInput(where, node.name, 'receives the wrong number of channels', String(c), String(node.inChannels)));
  const ho = convOutSize(h, node.kernel[0], node.stride[0], node.padding[0], node.dilation[0], node.padEnd?.[0]);
  const wo = convOutSize(w, node.kernel[1], node.stride[1], node.padding[1], node.dilation[1], node.padEnd?.[1]);
  if (ho <= 0 || wo <= 0) throw new GraphError(messages.badInput(where, node.name, 'has an empty output', `${ho}x${wo}`, 'positive sizes'));
  return [ho, wo, node.outChannels];
}

function poolShape(node: PoolNode, h: number, w: number, c: number, where: string): number[] {
  const ho = convOutSize(h, node.kernel[0], node.stride[0], node.padding[0], 1, node.padEnd?.[0]);
  const wo = convOutSize(w, node.kernel[1], node.stride[1], node.padding[1], 1, node.padEnd?.[1]);
  if (ho <= 0 || wo <= 0) throw new GraphError(messages.badInput(where, node.name, 'has an empty output', `${ho}x${wo}`, 'positive sizes'));
  return [ho, wo, c];
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Infers every node's input and output shape (channels last, no batch) by propagating along the
 * edges until nothing changes, so recurrent graphs work (a population's shape is declared).
 * Several inputs into one node must have the same shape. An output node may declare a shape with
 * the same number of elements as what feeds it (the Rockpool quirk): `warnings` records it.
 * @throws GraphError on dangling edges, mismatched shapes or wrong sizes
 */
export function inferShapes(graph: HardwareGraph, warnings: string[] = []): Map<string, NodeShapes> {
  const where = `graph "${graph.name}"`;
  const byName = new Map<string, GraphNode>();
  for (const n of graph.nodes) {
    if (byName.has(n.name)) throw new GraphError(messages.duplicateNode(where, n.name));
    byName.set(n.name, n);
  }
  const names = [...byName.keys()];
  for (const e of graph.edges) {
    for (const end of [e.from, e.to]) if (!byName.has(end)) throw new GraphError(messages.danglingEdge(where, e.from, e.to, end, names));
  }
  const ins = new Map<string, readonly number[]>();
  const outs = new Map<string, readonly number[]>();
  for (const n of graph.nodes) {
    if (n.kind === 'input') outs.set(n.name, n.shape);
    if (n.kind === 'population') {
      ins.set(n.name, n.shape);
      outs.set(n.name, n.shape);
    }
  }
  let changed = true;
  for (let round = 0; changed && round <= graph.edges.length + 1; round++) {
    changed = false;
    for (const e of graph.edges) {
      const src = outs.get(e.from);
      if (!src) continue;
      const dst = byName.get(e.to) as GraphNode;
      const cur = ins.get(e.to);
      if (cur) {
        if (!same(cur, src)) throw new GraphError(messages.shapeMismatch(where, e.to, src, cur, e.from));
        continue;
      }
      ins.set(e.to, src);
      changed = true;
      if (!outs.has(e.to)) outs.set(e.to, outShape(dst, src, where));
    }
  }
  const result = new Map<string, NodeShapes>();
  for (const n of graph.nodes) {
    const i = n.kind === 'input' ? n.shape : ins.get(n.name);
    const o = outs.get(n.name);
    if (!i || !o) throw new GraphError(messages.unreachable(where, n.name));
    if (n.kind === 'output' && !same(n.shape, i)) {
      if (sizeOf(n.shape) !== sizeOf(i)) throw new GraphError(messages.shapeMismatch(where, n.name, i, n.shape, 'its inputs'));
      warnings.push(`${where}: output "${n.name}" declares shape [${n.shape.join(',')}] but receives [${i.join(',')}] (same number of elements; read as [${i.join(',')}]).`);
    }
    result.set(n.name, { in: i, out: o });
  }
  return result;
}
