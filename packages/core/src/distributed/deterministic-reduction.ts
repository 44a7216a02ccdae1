import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';

/**
 * Deterministic batch reductions (`deterministic` training, like PyTorch's
 * `use_deterministic_algorithms`): the weight and bias gradients of {@link Linear} and
 * {@link Conv2d} are summed over the batch in a fixed tree of sample blocks instead of one long
 * float32 accumulation whose order depends on the batch size and the backend's blocking.
 *
 * The batch `[T, N, …]` is cut into blocks of `granule` samples (every time step of them), each
 * block's gradient is computed alone, and the blocks are added pairwise: the left part of every node
 * is the largest power of two of blocks below its size. A rank of a data-parallel job holding an
 * aligned power-of-two run of blocks then computes exactly one subtree, and adding the ranks'
 * subtrees (one float32 addition per element for 2 ranks) gives, to the bit, what one process
 * computes on the whole batch. The forward pass and the input gradients are unchanged.
 */
let granule: number | null = null;

/** Turns deterministic reductions on with blocks of `samples` samples, or off with null. */
export function setDeterministicReduction(samples: number | null): void {
  check(samples === null || (Number.isInteger(samples) && samples >= 1), () =>
    `setDeterministicReduction: the granule must be an integer >= 1 (samples per block) or null, got ${String(samples)}; expected e.g. 8.`,
  );
  granule = samples;
}

/** The block size of deterministic reductions, or null when they are off (the default). */
export function deterministicGranule(): number | null {
  return granule;
}

/** The default block size: 8 samples (a global batch of 64 is then 8 blocks, 4 per rank on 2 ranks). */
export const DEFAULT_GRANULE = 8;

/**
 * Whether `perRank` samples per rank form an aligned power-of-two run of `samples`-sized blocks, so
 * that `ranks` ranks' subtrees compose into the one-process tree (see the module comment).
 */
export function granuleComposes(perRank: number, samples: number): boolean {
  if (perRank % samples !== 0) return false;
  const k = perRank / samples;
  return k >= 1 && (k & (k - 1)) === 0;
}

/** Sums `parts` pairwise: left = the first largest-power-of-two-below-n parts (n = parts.length). */
export function treeSum(parts: readonly Tensor[]): Tensor {
  check(parts.length > 0, () => 'treeSum: got no parts; expected at least one tensor.');
  if (parts.length === 1) return parts[0]!;
  let p = 1;
  while (p * 2 < parts.length) p *= 2;
  return tf.add(treeSum(parts.slice(0, p)), treeSum(parts.slice(p)));
}

/**
 * The sample blocks of a `[T, N, …]` tensor, each as `[T*g, …]` (time-major, as the layers merge
 * time into the batch): block j holds samples `[j*g, min((j+1)*g, N))` of every step.
 */
export function sampleBlocks(x: Tensor, samples: number): Tensor[] {
  const [t, n, ...rest] = x.shape as number[];
  const out: Tensor[] = [];
  for (let b = 0; b < (n as number); b += samples) {
    const g = Math.min(samples, (n as number) - b);
    const part = g === n ? x : tf.slice(x, [0, b, ...rest.map(() => 0)], [t as number, g, ...rest]);
    out.push(tf.reshape(part, [(t as number) * g, ...rest]));
  }
  return out;
}

/**
 * Σ over the sample blocks of `tensors` (`[T, N, …]` each, cut alike) of `blockGrad` of block j of
 * each, added by {@link treeSum}.
 */
export function treeOverSamples(tensors: readonly Tensor[], samples: number, blockGrad: (blocks: Tensor[]) => Tensor): Tensor {
  return tf.tidy(() => {
    const cut = tensors.map((t) => sampleBlocks(t, samples));
    return treeSum(cut[0]!.map((_, j) => blockGrad(cut.map((blocks) => blocks[j]!))));
  });
}
