import type { ModelPlan, NeuronPlan, PlanNode } from './plan.js';

const size = (v: number | readonly [number, number]): string => (typeof v === 'number' ? `${v}x${v}` : `${v[0]}x${v[1]}`);
const dims = (s: readonly number[]): string => s.join(', ');

/** `[T, N, 28, 28, 1]` for a per-sample shape. */
export function seqShape(s: readonly number[]): string {
  return `[T, N, ${dims(s)}]`;
}

/** `[1 or T, N, 28, 28, 1]`: a sequence that may be one step standing for T (core's encodeInputOnce). */
export function onceShape(s: readonly number[]): string {
  return `[1 or T, N, ${dims(s)}]`;
}

/** `[N, 10]` (membrane, rate) or `[T, N, 10]` (tet): the model's output. */
export function outputShapeText(plan: ModelPlan): string {
  return plan.readout === 'tet' ? seqShape(plan.outputShape) : `[N, ${dims(plan.outputShape)}]`;
}

/** `[N, 28, 28, 1]` (static) or `[T, N, 128, 128, 2]` (events): the model's input. */
export function inputShapeText(plan: ModelPlan): string {
  return plan.encoding === 'events' ? seqShape(plan.inputShape) : `[N, ${dims(plan.inputShape)}]`;
}

/** One line saying what a neuron is. */
export function describeNeuron(n: NeuronPlan): string {
  const params = Object.entries(n.surrogate.params)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${n.kind} (vth ${n.vth}, tau ${n.tau}, surrogate ${n.surrogate.name}${params ? ` ${params}` : ''}${n.detachReset ? ', detached reset' : ''})`;
}

/** One line saying what a plan node is, with its shapes: the JSDoc of its field. */
export function describeNode(node: PlanNode): string {
  const l = node.layer;
  let what: string;
  switch (l.type) {
    case 'conv2d': {
      const o = l.options;
      what = `conv ${size(o.kernel)}, ${o.inChannels} -> ${o.filters} channels, stride ${typeof o.stride === 'number' ? o.stride : o.stride.join('x')}, padding ${o.padding}${o.bias ? ', bias' : ''}`;
      break;
    }
    case 'linear':
      what = `linear ${l.options.inFeatures} -> ${l.options.units}${l.options.bias ? ', bias' : ''}`;
      break;
    case 'norm':
      what = `${l.norm.kind} norm over ${l.channels} channels (alpha ${l.alpha}, vth ${l.vth})`;
      break;
    case 'neuron':
      what = `${describeNeuron(l.neuron)} neurons${l.recurrent ? `, fed back their previous spikes through a recurrent ${l.recurrent.features}x${l.recurrent.features} map${l.recurrent.bias ? " + bias" : ""}` : ""}`;
      break;
    case 'pool':
      what = `${l.options.mode} pool ${size(l.options.size)}, stride ${typeof l.options.stride === 'number' ? l.options.stride : l.options.stride.join('x')}, padding ${l.options.padding}`;
      break;
    case 'globalAvgPool':
      what = 'global average pool over H, W';
      break;
    case 'flatten':
      what = 'flatten (channels-last order)';
      break;
    case 'dropout':
      what = `dropout p=${l.options.rate} (one mask over T)`;
      break;
    case 'basic':
      what = `basic block ${l.options.inChannels} -> ${l.options.filters}, stride ${l.options.stride}, ${l.options.projection ? 'projection' : 'identity'} shortcut`;
      break;
    case 'bottleneck':
      what = `bottleneck block ${l.options.inChannels} -> ${l.options.planes} -> ${l.options.planes * l.options.expansion}, stride ${l.options.stride}, ${l.options.projection ? 'projection' : 'identity'} shortcut`;
      break;
    case 'sew':
      what = `SEW block ${l.options.inChannels} -> ${l.options.filters}, stride ${l.options.stride}, connect ${l.options.connect.toUpperCase()}, ${l.options.projection ? 'spiking downsample' : 'identity'} shortcut`;
      break;
    case 'ms':
      what = `MS (membrane shortcut) block ${l.options.inChannels} -> ${l.options.filters}, stride ${l.options.stride}, ${l.options.projection ? 'projection' : 'identity'} shortcut`;
      break;
    case 'spikformerPatchSplit':
      what = `Spikformer patch splitting ${l.options.inChannels} -> ${l.options.embed / 8}/${l.options.embed / 4}/${l.options.embed / 2}/${l.options.embed} channels, ${l.options.pools} max pools, relative position embedding`;
      break;
    case 'spikformerBlock':
      what = `Spikformer encoder block: spiking self-attention (${l.options.heads} heads, scale ${l.options.scale}) + MLP (${l.options.channels} -> ${l.options.channels * l.options.mlpRatio} -> ${l.options.channels}), residual adds`;
      break;
    case 'plugin':
      what = `plugin layer "${l.layerType}"`;
      break;
  }
  return `${what}: ${seqShape(node.inShape)} -> ${seqShape(node.outShape)}`;
}
