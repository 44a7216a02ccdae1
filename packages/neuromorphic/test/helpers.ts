import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ConvNode, GraphEdge, GraphNode, HardwareGraph, LinearNode, PopulationNode } from '../src/index.js';
import { seededRandom } from '@deepspike/core';
import { testdataDir } from '@deepspike/core/testing';

/** The NIR fixtures of the repository (testdata/nir: real files from other frameworks, broken ones, derived ones, nir_check.py). */
export const NIR_DIR = join(testdataDir(), 'nir');

/** A deterministic PRNG (mulberry32) for random graphs and inputs. */
export const rng = seededRandom;

/** The python3 that can run nir_check.py (needs h5py + numpy), or a reason why none can. */
export function checkerPython(): { python?: string; reason?: string } {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py };
  }
  return { reason: 'nir_check.py needs python3 with h5py and numpy (apt-get install -y python3-h5py python3-numpy); none found' };
}

/** Runs nir_check.py and returns stdout (throws on a non-zero exit). */
export function runChecker(python: string, args: string[]): string {
  return execFileSync(python, [`${NIR_DIR}/nir_check.py`, ...args], { encoding: 'utf8', cwd: NIR_DIR });
}

export const conv = (name: string, cin: number, cout: number, k: number, r: () => number, extra: Partial<ConvNode> = {}): ConvNode => ({
  kind: 'conv', name, weight: Float32Array.from({ length: (k * k * cin * cout) / (extra.groups ?? 1) }, () => r() - 0.45), kernel: [k, k], inChannels: cin, outChannels: cout,
  bias: Float32Array.from({ length: cout }, () => (r() - 0.5) * 0.1), stride: [1, 1], padding: [(k - 1) / 2, (k - 1) / 2], dilation: [1, 1], groups: 1, ...extra,
});

export const lin = (name: string, inF: number, outF: number, r: () => number, bias = true): LinearNode => ({
  kind: 'linear', name, weight: Float32Array.from({ length: inF * outF }, () => r() - 0.45), inFeatures: inF, outFeatures: outF,
  bias: bias ? Float32Array.from({ length: outF }, () => (r() - 0.5) * 0.1) : null,
});

export const lif = (name: string, shape: number[], k = 0.25, vth = 0.5, extra: Partial<PopulationNode> = {}): PopulationNode => ({
  kind: 'population', name, model: 'lif', shape, decay: k, threshold: vth, gain: 1, drive: 0, reset: 'zero', resetValue: 0, strict: false, ...extra,
});

/** A small STBP conv net with a residual add (two edges into lif2), pooling, a channels-last flatten and a classifier. */
export function residualNet(seed = 1, c = 4, hw = 8): HardwareGraph {
  const r = rng(seed);
  const nodes: GraphNode[] = [
    { kind: 'input', name: 'input', shape: [hw, hw, 2] },
    conv('conv1', 2, c, 3, r),
    lif('lif1', [hw, hw, c], 0.25, 0.3),
    conv('conv2', c, c, 3, r),
    lif('lif2', [hw, hw, c], 0.25, 0.3),
    { kind: 'pool', name: 'pool', mode: 'avg', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'flatten', name: 'flat', order: 'hwc' },
    lin('fc', (hw / 2) * (hw / 2) * c, 10, r),
    lif('lif3', [10], 0.25, 0.3),
    { kind: 'output', name: 'output', shape: [10] },
  ];
  const edges: GraphEdge[] = [
    ['input', 'conv1'], ['conv1', 'lif1'], ['lif1', 'conv2'], ['conv2', 'lif2'], ['lif1', 'lif2'], ['lif2', 'pool'], ['pool', 'flat'], ['flat', 'fc'], ['fc', 'lif3'], ['lif3', 'output'],
  ].map(([from, to]) => ({ from: from as string, to: to as string }));
  return { name: 'residual', nodes, edges, metadata: { T: 8 } };
}

/** T random binary input frames of `size`, spike probability p. */
export function randomSpikes(T: number, size: number, p: number, r: () => number): Float64Array[] {
  return Array.from({ length: T }, () => Float64Array.from({ length: size }, () => (r() < p ? 1 : 0)));
}
