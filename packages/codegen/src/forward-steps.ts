import type { PlanNode } from './plan.js';

/**
 * One step of a model's forward pass: a layer on its own, or a norm with the neuron right after it,
 * which the model runs as core's `normIntoNeuron(norm, neuron, h)` (one fused op when the norm
 * offers it, e.g. tdBN into the STBP LIF).
 */
export type ForwardStep =
  | { readonly kind: 'layer'; readonly node: PlanNode }
  | { readonly kind: 'normIntoNeuron'; readonly norm: PlanNode; readonly neuron: PlanNode };

/** The plan's nodes as forward steps (shared by the emitter and the runtime model, so both run the same ops). */
export function forwardSteps(nodes: readonly PlanNode[]): ForwardStep[] {
  const steps: ForwardStep[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as PlanNode;
    const next = nodes[i + 1];
    if (node.layer.type === 'norm' && next?.layer.type === 'neuron') {
      steps.push({ kind: 'normIntoNeuron', norm: node, neuron: next });
      i++;
    } else steps.push({ kind: 'layer', node });
  }
  return steps;
}
