import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { compareOnBatch, type ConvNode, type GraphEdge, type GraphNode, type HardwareGraph, type LinearNode, type PopulationNode } from '../src/index.js';
import { Conv2d, Flatten, Linear, seededRandom, SpikingModel, type Encoder, type Layer, type Registry } from '@deepspike/core';
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

/** A spiking model of named layers run in order on direct-encoded input (T steps), predicting the mean over T. */
export class ChainNet extends SpikingModel {
  readonly layers: Map<string, Layer>;
  readonly encoder: Encoder;
  constructor(name: string, registry: Registry, ls: [string, Layer][], timesteps = 4) {
    super(name, timesteps);
    this.encoder = registry.get('encoder', 'direct').create();
    this.layers = new Map(ls.map(([n, l]) => [n, this.addChild(n, l)]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = this.encoder.encode(x, this.timesteps);
      for (const l of this.layers.values()) h = l.forward(h);
      return tf.mean(h, 0);
    });
  }
}

/** The layers of a small net on [6, 6, 1]: conv 1->3 (3x3, padding 1, bias, seed 1), `middle`, flatten, linear 108->3 (seed 3). */
export function convFcLayers(middle: [string, Layer][]): [string, Layer][] {
  return [
    ['conv', new Conv2d('conv', { inChannels: 1, filters: 3, kernel: 3, padding: 1, bias: true, seed: 1 })],
    ...middle,
    ['flat', new Flatten('flat')],
    ['fc', new Linear('fc', { inFeatures: 6 * 6 * 3, units: 3, seed: 3 })],
  ];
}

/** Non-trivial running statistics and affine parameters for every norm of `model`, drawn from `r`. */
export function randomiseNorms(model: Layer, r: () => number): void {
  for (const [k, v] of model.namedParameters()) {
    if (k.endsWith('runningMean')) v.assign(tf.tensor(Array.from({ length: v.size }, () => (r() - 0.5) * 0.2), v.shape));
    if (k.endsWith('runningVar')) v.assign(tf.tensor(Array.from({ length: v.size }, () => 0.05 + r() * 0.3), v.shape));
    if (k.endsWith('lambda')) v.assign(tf.tensor(Array.from({ length: v.size }, () => 0.6 + r()), v.shape));
    if (k.endsWith('beta')) v.assign(tf.tensor(Array.from({ length: v.size }, () => (r() - 0.3) * 0.4), v.shape));
  }
}

/** 12 random frames [6, 6, 1] with values in [0, 1.5) from `rng(seed)` (the batch of the small conv-fc nets). */
export function smallBatch(seed: number): tf.Tensor4D {
  const r = rng(seed);
  return tf.tensor4d(Array.from({ length: 12 * 36 }, () => r() * 1.5), [12, 6, 6, 1]);
}

/**
 * Runs `model` and `graph` on {@link smallBatch}(seed) and expects the same spikes: the neurons fire
 * (more than 50 spikes), all 12 predictions agree, and under 1e-3 of the compared spikes differ.
 */
export function expectSpikesMatchOnSmallBatch(model: SpikingModel, graph: HardwareGraph, populations: Map<Layer, string>, seed: number): void {
  const x = smallBatch(seed);
  const rep = compareOnBatch(model, graph, populations, x);
  expect(rep.floatSpikes, 'the neurons fire').to.be.greaterThan(50);
  expect(rep.floatAgree).to.equal(12);
  expect(rep.spikeMismatches / rep.spikesCompared).to.be.lessThan(1e-3);
  x.dispose();
}
