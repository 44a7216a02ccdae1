import type { PlanNode } from './plan.js';

/**
 * One step of a model's forward pass: a layer on its own, a norm with the neuron right after it,
 * which the model runs as core's `normIntoNeuron(norm, neuron, h)` (one fused op when the norm
 * offers it, e.g. tdBN into the STBP LIF), or those two with the average pool after the neuron, run
 * as `normIntoNeuronPool(norm, neuron, pool, h)` (the pool fused too where it tiles the image). On a
 * time-invariant encoding the norm step after a first per-step layer takes that layer's one step for
 * all T, as `normIntoNeuronRepeated(norm, neuron, h, T[, pool])` (see {@link forwardSteps}).
 */
export type ForwardStep =
  | { readonly kind: 'layer'; readonly node: PlanNode }
  | { readonly kind: 'normIntoNeuron'; readonly norm: PlanNode; readonly neuron: PlanNode }
  | { readonly kind: 'normIntoNeuronPool'; readonly norm: PlanNode; readonly neuron: PlanNode; readonly pool: PlanNode }
  | { readonly kind: 'normIntoNeuronRepeated'; readonly norm: PlanNode; readonly neuron: PlanNode; readonly pool: PlanNode | null };

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
  return stepOutput(step).field;
}

/** The node whose output shape a step produces. */
export function stepOutput(step: ForwardStep): PlanNode {
  if (step.kind === 'layer') return step.node;
  if (step.kind === 'normIntoNeuron') return step.neuron;
  return step.pool ?? step.neuron;
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

/**
 * The plan's nodes as forward steps (shared by the emitter and the runtime model, so both run the same
 * ops); on a time-invariant `encoding` the first norm step may take the first layer's one step (see
 * {@link runsFirstLayerOnce}).
 */
export function forwardSteps(nodes: readonly PlanNode[], encoding: string): ForwardStep[] {
  const steps = fusedSteps(nodes);
  const repeated = repeatedFirstNorm(steps, encoding);
  return repeated ? [steps[0] as ForwardStep, repeated, ...steps.slice(2)] : steps;
}

/** The nodes as layers, norms into their neurons and those with the average pool after them. */
function fusedSteps(nodes: readonly PlanNode[]): ForwardStep[] {
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
 * The second step as `normIntoNeuronRepeated` when the first layer may run once, else null: the first
 * step is a per-step layer (conv2d, linear) on the input, the second a norm into its neuron [and pool]
 * on that layer's output, and no later step reads the input or that layer's output (in a graph plan,
 * by name): nothing else sees the one step. Event inputs carry T themselves.
 */
function repeatedFirstNorm(steps: readonly ForwardStep[], encoding: string): ForwardStep | null {
  const [first, second] = steps;
  if (encoding === 'events' || first?.kind !== 'layer' || !PER_STEP_LAYERS.has(first.node.layer.type)) return null;
  if (second === undefined || (second.kind !== 'normIntoNeuron' && second.kind !== 'normIntoNeuronPool')) return null;
  const only = (inputs: readonly string[] | undefined, field: string): boolean => inputs === undefined || (inputs.length === 1 && inputs[0] === field);
  const later = steps.slice(2).flatMap((st) => stepInputs(st) ?? []);
  const alone = only(stepInputs(first), 'input') && only(stepInputs(second), first.node.field) && !later.includes('input') && !later.includes(first.node.field);
  if (!alone) return null;
  return { kind: 'normIntoNeuronRepeated', norm: second.norm, neuron: second.neuron, pool: second.kind === 'normIntoNeuronPool' ? second.pool : null };
}

/**
 * Whether the forward runs its first layer once on a time-invariant encoding: the model then encodes
 * with core's `encodeInputOnce` (one step `[1, N, ...]` when the encoder's steps are all equal, e.g.
 * direct) and runs the first norm step as `normIntoNeuronRepeated`, which makes the T copies only
 * where it cannot fuse without them.
 */
export function runsFirstLayerOnce(steps: readonly ForwardStep[]): boolean {
  return steps[1]?.kind === 'normIntoNeuronRepeated';
}

/** Whether step i's output is one step for all T (the first layer run once), not T steps. */
export function stepRunsOnce(steps: readonly ForwardStep[], i: number): boolean {
  return i === 0 && runsFirstLayerOnce(steps);
}

/** The core function a norm step calls (normIntoNeuron, normIntoNeuronPool, normIntoNeuronRepeated); null for a layer. */
export function stepFunction(step: ForwardStep): string | null {
  return step.kind === 'layer' ? null : step.kind;
}

/** The generated code of one step applied to `arg`: a layer's forward, or the core function of {@link stepFunction}. */
export function stepCall(step: ForwardStep, arg: string): string {
  if (step.kind === 'layer') return `this.${step.node.field}.forward(${arg})`;
  if (step.kind === 'normIntoNeuronRepeated') return `normIntoNeuronRepeated(this.${step.norm.field}, this.${step.neuron.field}, ${arg}, this.timesteps${step.pool ? `, this.${step.pool.field}` : ''})`;
  if (step.kind === 'normIntoNeuron') return `normIntoNeuron(this.${step.norm.field}, this.${step.neuron.field}, ${arg})`;
  return `normIntoNeuronPool(this.${step.norm.field}, this.${step.neuron.field}, this.${step.pool.field}, ${arg})`;
}
