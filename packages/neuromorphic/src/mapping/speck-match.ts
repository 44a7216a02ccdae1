import type { CoreKind } from '../targets/profile.js';
import type { HardwareLayer } from './layers.js';
import { box3 } from './partition.js';

/** Kernel and neuron memory a layer needs on a Speck/DynapCNN core. */
export interface SpeckNeed {
  readonly layer: string;
  readonly kernelMemory: number;
  readonly neuronMemory: number;
}

const pow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * Memory a layer needs on a DynapCNN core (sinabs's formula, unverified here):
 * kernel `cout * 2^ceil(log2(cin * kh * kw))`, neurons `cout * 2^ceil(log2 H) * 2^ceil(log2 W)`.
 */
export function speckNeed(layer: HardwareLayer): SpeckNeed {
  const [h, w, c] = box3(layer.shape);
  const perOut = layer.connections.reduce((a, cn) => a + (cn.synapse?.kind === 'conv' ? cn.synapse.kernel[0] * cn.synapse.kernel[1] * (cn.synapse.inChannels / cn.synapse.groups) : cn.fanIn), 0);
  return { layer: layer.name, kernelMemory: c * pow2(perOut), neuronMemory: c * pow2(h) * pow2(w) };
}

/**
 * Assigns each layer its own core such that its needs fit the core's memories: maximum bipartite
 * matching by augmenting paths (Kuhn). @returns core id per layer, or null for layers left unmatched
 */
export function matchLayersToCores(needs: readonly SpeckNeed[], cores: readonly CoreKind[]): (number | null)[] {
  const fits = needs.map((n) => cores.map((c, j) => (n.kernelMemory <= c.kernelMemory && n.neuronMemory <= c.neuronMemory ? j : -1)).filter((j) => j >= 0));
  const owner = new Array<number>(cores.length).fill(-1);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (const j of fits[i] ?? []) {
      if (seen[j]) continue;
      seen[j] = true;
      if (owner[j] === -1 || tryAssign(owner[j] as number, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < needs.length; i++) tryAssign(i, new Array<boolean>(cores.length).fill(false));
  const result: (number | null)[] = needs.map(() => null);
  owner.forEach((i, j) => {
    if (i >= 0) result[i] = cores[j]?.id ?? j;
  });
  return result;
}
