import { messages } from '../messages.js';
import { channelsOf, sizeOf } from './params.js';
import { GraphError, inferShapes, type NodeShapes } from './shapes.js';
import type { HardwareGraph, ParamArray } from './types.js';

/** What {@link validateGraph} found: shapes of every node and non-fatal warnings. */
export interface GraphCheck {
  readonly shapes: Map<string, NodeShapes>;
  readonly warnings: string[];
}

function checkParam(where: string, node: string, name: string, p: ParamArray, shape: readonly number[]): void {
  if (typeof p === 'number') return;
  const size = sizeOf(shape);
  const c = channelsOf(shape);
  if (p.length !== 1 && p.length !== c && p.length !== size) throw new GraphError(messages.paramLength(where, node, name, p.length, c, size));
}

/**
 * Checks a hardware graph: unique names, no dangling edge, at least one input and one output,
 * every node reached, consistent shapes along every edge (several inputs of one node agree),
 * weight/bias lengths and broadcastable neuron parameters.
 * @throws GraphError naming the node, the rule and the fix
 */
export function validateGraph(graph: HardwareGraph): GraphCheck {
  const where = `graph "${graph.name}"`;
  if (!graph.nodes.some((n) => n.kind === 'input')) throw new GraphError(messages.noInput(where));
  if (!graph.nodes.some((n) => n.kind === 'output')) throw new GraphError(messages.noOutput(where));
  for (const n of graph.nodes) {
    if (n.kind === 'conv') {
      const expected = n.kernel[0] * n.kernel[1] * (n.inChannels / n.groups) * n.outChannels;
      if (n.inChannels % n.groups !== 0 || n.outChannels % n.groups !== 0) throw new GraphError(messages.badInput(where, n.name, 'has channels not divisible by groups', `${n.inChannels}/${n.outChannels} with groups ${n.groups}`, 'divisible channel counts'));
      if (n.weight.length !== expected) throw new GraphError(messages.badInput(where, n.name, 'has a weight of the wrong length', String(n.weight.length), `${expected} (= kh*kw*cin/groups*cout)`));
      if (n.bias && n.bias.length !== n.outChannels) throw new GraphError(messages.badInput(where, n.name, 'has a bias of the wrong length', String(n.bias.length), String(n.outChannels)));
    } else if (n.kind === 'linear') {
      if (n.weight.length !== n.inFeatures * n.outFeatures) throw new GraphError(messages.badInput(where, n.name, 'has a weight of the wrong length', String(n.weight.length), `${n.inFeatures * n.outFeatures} (= in*out)`));
      if (n.bias && n.bias.length !== n.outFeatures) throw new GraphError(messages.badInput(where, n.name, 'has a bias of the wrong length', String(n.bias.length), String(n.outFeatures)));
    } else if (n.kind === 'population') {
      for (const [k, p] of [['decay', n.decay], ['threshold', n.threshold], ['gain', n.gain], ['drive', n.drive], ['resetValue', n.resetValue]] as const) checkParam(where, n.name, k, p, n.shape);
      if (n.synapse) {
        checkParam(where, n.name, 'synapse.decay', n.synapse.decay, n.shape);
        checkParam(where, n.name, 'synapse.gain', n.synapse.gain, n.shape);
      }
      if (n.adaptation) {
        checkParam(where, n.name, 'adaptation.beta', n.adaptation.beta, n.shape);
        checkParam(where, n.name, 'adaptation.rho', n.adaptation.rho, n.shape);
      }
    }
  }
  const warnings: string[] = [];
  const shapes = inferShapes(graph, warnings);
  for (const n of graph.nodes) {
    if (n.kind !== 'input' && !graph.edges.some((e) => e.to === n.name)) throw new GraphError(messages.unreachable(where, n.name));
    if (n.kind === 'scale') checkParam(where, n.name, 'scale', n.scale, shapes.get(n.name)?.in ?? []);
  }
  return { shapes, warnings };
}
