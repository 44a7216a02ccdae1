import type { PlanNode } from './plan.js';

/**
 * One step of a model's forward pass: a layer on its own, or a norm with the neuron right after it,
 * which the model runs as core's `normIntoNeuron(norm, neuron, h)` (one fused op when the norm
 * offers it, e.g. tdBN into the STBP LIF).
 */
export type ForwardStep =
  | { readonly kind: 'layer'; readonly node: PlanNode }
  | { readonly kind: 'normIntoNeuron'; readonly norm: PlanNode; readonly neuron: PlanNode };

/** Graph-shaped plans: any node summing named inputs instead of taking the previous node's output. */
export function isGraph(nodes: readonly PlanNode[]): boolean {
  return nodes.some((n) => n.inputs !== undefined);
}

/** The fields (or `"input"`) a step sums into its first layer; undefined: the previous step's output. */
export function stepInputs(step: ForwardStep): readonly string[] | undefined {
  return step.kind === 'layer' ? step.node.inputs : step.norm.inputs;
}

/** The field whose output a step produces. */
export function stepField(step: ForwardStep): string {
  return step.kind === 'layer' ? step.node.field : step.neuron.field;
}

/** The plan's nodes as forward steps (shared by the emitter and the runtime model, so both run the same ops). */
export function forwardSteps(nodes: readonly PlanNode[]): ForwardStep[] {
  const steps: ForwardStep[] = [];
  // A norm whose output another layer also reads (fan-out), or a neuron that sums other inputs or
  // feeds itself back, runs on its own.
  const read = new Set(nodes.flatMap((n) => n.inputs ?? []));
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as PlanNode;
    const next = nodes[i + 1];
    if (node.layer.type === 'norm' && next?.layer.type === 'neuron' && next.inputs === undefined && next.layer.recurrent === undefined && !read.has(node.field)) {
      steps.push({ kind: 'normIntoNeuron', norm: node, neuron: next });
      i++;
    } else steps.push({ kind: 'layer', node });
  }
  return steps;
}
