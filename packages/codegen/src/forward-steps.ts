import type { PlanNode } from './plan.js';

/**
 * One step of a model's forward pass: a layer on its own, a norm with the neuron right after it,
 * which the model runs as core's `normIntoNeuron(norm, neuron, h)` (one fused op when the norm
 * offers it, e.g. tdBN into the STBP LIF), or those two with the average pool after the neuron, run
 * as `normIntoNeuronPool(norm, neuron, pool, h)` (the pool fused too where it tiles the image).
 */
export type ForwardStep =
  | { readonly kind: 'layer'; readonly node: PlanNode }
  | { readonly kind: 'normIntoNeuron'; readonly norm: PlanNode; readonly neuron: PlanNode }
  | { readonly kind: 'normIntoNeuronPool'; readonly norm: PlanNode; readonly neuron: PlanNode; readonly pool: PlanNode };

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
  return step.kind === 'layer' ? step.node.field : step.kind === 'normIntoNeuron' ? step.neuron.field : step.pool.field;
}

/** The node whose output shape a step produces. */
export function stepOutput(step: ForwardStep): PlanNode {
  return step.kind === 'layer' ? step.node : step.kind === 'normIntoNeuron' ? step.neuron : step.pool;
}

/** An average pool of square windows at stride = size without padding: what normIntoNeuronPool may fuse. */
function tilingAvgPool(node: PlanNode | undefined): boolean {
  if (node?.layer.type !== 'pool' || node.inputs !== undefined) return false;
  const o = node.layer.options;
  const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);
  const [kh, kw] = pair(o.size);
  const [sh, sw] = pair(o.stride);
  return o.mode === 'avg' && (o.padding === 'valid' || o.padding === 0) && kh === kw && sh === kh && sw === kw;
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
      const after = nodes[i + 2];
      if (tilingAvgPool(after) && !read.has(next.field)) {
        steps.push({ kind: 'normIntoNeuronPool', norm: node, neuron: next, pool: after as PlanNode });
        i += 2;
      } else {
        steps.push({ kind: 'normIntoNeuron', norm: node, neuron: next });
        i++;
      }
    } else steps.push({ kind: 'layer', node });
  }
  return steps;
}

/** Layers that work on each time step alone, with no state: f(copies of x) = copies of f(x). */
const PER_STEP_LAYERS: ReadonlySet<string> = new Set(['conv2d', 'linear']);

/**
 * Whether a sequential plan's forward may run its first layer once on a time-invariant encoding:
 * the first step is a per-step layer (conv2d, linear) and the second a norm into its neuron [and
 * pool]. The model then encodes with core's `encodeInputOnce` (one step `[1, N, ...]` when the
 * encoder's steps are all equal, e.g. direct) and runs that norm step as `normIntoNeuronRepeated`,
 * which makes the T copies only where it cannot fuse without them. Graph plans and event inputs
 * (which carry T themselves) do not.
 */
export function runsFirstLayerOnce(nodes: readonly PlanNode[], steps: readonly ForwardStep[], encoding: string): boolean {
  const [first, second] = steps;
  return encoding !== 'events' && !isGraph(nodes) && first?.kind === 'layer' && PER_STEP_LAYERS.has(first.node.layer.type) && second !== undefined && second.kind !== 'layer';
}

/** The core function a norm step calls: normIntoNeuron[Pool], or normIntoNeuronRepeated when its input may be one step for T. */
export function stepFunction(step: ForwardStep, repeated: boolean): string | null {
  if (step.kind === 'layer') return null;
  return repeated ? 'normIntoNeuronRepeated' : step.kind;
}

/**
 * The generated code of one step applied to `arg` (a layer's forward, or core's normIntoNeuron[Pool]);
 * `repeated`: `normIntoNeuronRepeated(norm, neuron, arg, this.timesteps[, pool])` (see {@link runsFirstLayerOnce}).
 */
export function stepCall(step: ForwardStep, arg: string, repeated = false): string {
  if (step.kind === 'layer') return `this.${step.node.field}.forward(${arg})`;
  if (repeated) return `normIntoNeuronRepeated(this.${step.norm.field}, this.${step.neuron.field}, ${arg}, this.timesteps${step.kind === 'normIntoNeuronPool' ? `, this.${step.pool.field}` : ''})`;
  if (step.kind === 'normIntoNeuron') return `normIntoNeuron(this.${step.norm.field}, this.${step.neuron.field}, ${arg})`;
  return `normIntoNeuronPool(this.${step.norm.field}, this.${step.neuron.field}, this.${step.pool.field}, ${arg})`;
}
