import type { GraphEdge, HardwareGraph } from './types.js';

/** The order nodes are computed in within one step, and which edges carry last step's value. */
export interface EvaluationOrder {
  /** Node names; every forward edge goes from an earlier to a later node. */
  readonly order: readonly string[];
  /** Edges closing a cycle (recurrent connections): they deliver the source's output of step t-1. */
  readonly backEdges: ReadonlySet<GraphEdge>;
}

/**
 * Orders the nodes for a per-step evaluation. A depth-first search from the inputs (in node order)
 * marks every edge into a node still on the search stack as a back edge; the remaining edges form a
 * DAG, sorted topologically. NIR defines no delay for recurrent edges; DeepSpike's convention is one
 * step on each back edge.
 */
export function evaluationOrder(graph: HardwareGraph): EvaluationOrder {
  const succ = new Map<string, GraphEdge[]>();
  for (const n of graph.nodes) succ.set(n.name, []);
  for (const e of graph.edges) succ.get(e.from)?.push(e);
  const state = new Map<string, 1 | 2>();
  const back = new Set<GraphEdge>();
  const visit = (start: string): void => {
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as [string, number];
      const edges = succ.get(top[0]) ?? [];
      if (top[1] >= edges.length) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      const e = edges[top[1]++] as GraphEdge;
      const s = state.get(e.to);
      if (s === 1) back.add(e);
      else if (s === undefined) {
        state.set(e.to, 1);
        stack.push([e.to, 0]);
      }
    }
  };
  for (const n of graph.nodes) if (n.kind === 'input' && !state.has(n.name)) visit(n.name);
  for (const n of graph.nodes) if (!state.has(n.name)) visit(n.name);
  const indeg = new Map<string, number>();
  for (const n of graph.nodes) indeg.set(n.name, 0);
  for (const e of graph.edges) if (!back.has(e)) indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
  const ready = graph.nodes.filter((n) => indeg.get(n.name) === 0).map((n) => n.name);
  const order: string[] = [];
  while (ready.length) {
    const n = ready.shift() as string;
    order.push(n);
    for (const e of succ.get(n) ?? []) {
      if (back.has(e)) continue;
      const d = (indeg.get(e.to) ?? 0) - 1;
      indeg.set(e.to, d);
      if (d === 0) ready.push(e.to);
    }
  }
  return { order, backEdges: back };
}
