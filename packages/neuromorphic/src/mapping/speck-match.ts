import type { CoreKind } from '../targets/profile.js';
import type { HardwareLayer } from './layers.js';
import { box3 } from './partition.js';

/** Kernel and neuron memory a layer needs on a Speck/DynapCNN core. */
export interface SpeckNeed {
  readonly layer: string;
  readonly kernelMemory: number;
  readonly neuronMemory: number;
}

/** The power of two at or above n (`2^ceil(log2 n)`). */
const pow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * Memory entries a layer needs on a DynapCNN/Speck core, by the vendor's formulas (sinabs-dynapcnn
 * documentation, "Overview: Memory Constraints and Network Sizing", docs/speck/overview.md of
 * github.com/synsense/sinabs, and `DynapcnnLayer.memory_summary()`), where the chip's address encoding
 * rounds each dimension up to a power of two:
 * - kernel `K_MT = c * 2^(ceil(log2(kx*ky)) + ceil(log2 f))` for `c` input channels, `f` output channels and a `kx x ky` kernel;
 * - neurons `N_M = f * 2^(ceil(log2 fx) + ceil(log2 fy))` for an `fx x fy` output feature map.
 * A linear layer is the conv sinabs turns it into: a kernel the size of its (flattened) input's feature
 * map over that input's channels, on a 1 x 1 output; an identity (residual) edge counts nothing. A pool
 * before the synapse runs in the source core (conv -> spike -> sum pool), so the kernel sees the pooled input.
 * Example (the documentation's): conv 16 -> 32, 3 x 3 on 64 x 64: kernel 16 * 2^(4+5) = 8192, neurons 32 * 2^(6+6) = 131072.
 */
export function speckNeed(layer: HardwareLayer): SpeckNeed {
  const [h, w, f] = box3(layer.shape);
  let kernel = 0;
  for (const cn of layer.connections) {
    const s = cn.synapse;
    if (s?.kind === 'conv') kernel += (s.inChannels / s.groups) * pow2(s.kernel[0] * s.kernel[1]) * pow2(s.outChannels);
    else if (s?.kind === 'linear') {
      // the input before flatten: channels = the source population's (pools keep them), area = features / channels
      const flat = cn.routes.some((r) => r.kind === 'flatten');
      const c = flat ? (box3(cn.sourceShape)[2] as number) : s.inFeatures;
      kernel += c * pow2(s.inFeatures / c) * pow2(s.outFeatures);
    }
  }
  return { layer: layer.name, kernelMemory: kernel, neuronMemory: f * pow2(h) * pow2(w) };
}

/**
 * Kernel and neuron memory words of one DYNAP-CNN/Speck layer (the formulas of {@link speckNeed}):
 * kernel `c * 2^ceil(log2(kernelArea)) * 2^ceil(log2 f)`, neurons `f * 2^ceil(log2 h) * 2^ceil(log2 w)`.
 * @param c input channels; @param f output channels; @param kernelArea kx*ky; @param h, w output map
 */
export function speckCoreMemory(c: number, f: number, kernelArea: number, h: number, w: number): { kernel: number; neuron: number } {
  return { kernel: c * pow2(kernelArea) * pow2(f), neuron: f * pow2(h) * pow2(w) };
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
