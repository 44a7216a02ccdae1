import type { HardwareGraph } from '@deepspike/neuromorphic';

/** The benchmark network's sizes: the second half of the mnist workload (conv 32 -> 64 on 14 x 14, pool, fc). */
export const EVENT_NET = { h: 14, w: 14, cin: 32, cout: 64, classes: 10, kernel: 3 } as const;

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer weights in [-63, 63] (what 7-bit signed synapses hold), seeded. */
function intWeights(n: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.round((rand() * 2 - 1) * 63));
}

/**
 * The integer graph both simulators and the dense float forward run: input spikes [14, 14, 32] ->
 * conv 3x3 32 -> 64 (pad 1) -> IF population -> sum pool 2 -> flatten -> linear 3136 -> 10 -> IF
 * population -> output. The hidden threshold is `thresholdStd` standard deviations of the hidden
 * current at input firing `rate` (weights of std ~36.4 over 288 inputs), so the hidden layer fires
 * at a rate of the same order as its input.
 */
export function eventBenchGraph(rate: number, seed = 7, thresholdStd = 1.5): HardwareGraph {
  const { h, w, cin, cout, classes, kernel } = EVENT_NET;
  const rand = seeded(seed);
  const fanIn = kernel * kernel * cin;
  const std = Math.sqrt(fanIn * rate) * (63 / Math.sqrt(3));
  const hidden = Math.max(1, Math.round(thresholdStd * std));
  const flat = (h / 2) * (w / 2) * cout;
  return {
    name: `event-bench-${rate}`,
    metadata: { quantized: { stateBits: 24 } },
    nodes: [
      { kind: 'input', name: 'input', shape: [h, w, cin] },
      {
        kind: 'conv', name: 'conv', weight: intWeights(fanIn * cout, rand), kernel: [kernel, kernel], inChannels: cin, outChannels: cout,
        bias: null, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1,
      },
      { kind: 'population', name: 'hidden', model: 'if', shape: [h, w, cout], decay: 1, threshold: hidden, gain: 1, drive: 0, reset: 'zero', resetValue: 0, strict: false },
      { kind: 'pool', name: 'pool', mode: 'sum', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
      { kind: 'flatten', name: 'flatten', order: 'hwc' },
      { kind: 'linear', name: 'fc', weight: intWeights(flat * classes, rand), inFeatures: flat, outFeatures: classes, bias: null },
      { kind: 'population', name: 'out', model: 'if', shape: [classes], decay: 1, threshold: hidden, gain: 1, drive: 0, reset: 'zero', resetValue: 0, strict: false },
      { kind: 'output', name: 'output', shape: [classes] },
    ],
    edges: [
      { from: 'input', to: 'conv' }, { from: 'conv', to: 'hidden' }, { from: 'hidden', to: 'pool' }, { from: 'pool', to: 'flatten' },
      { from: 'flatten', to: 'fc' }, { from: 'fc', to: 'out' }, { from: 'out', to: 'output' },
    ],
  };
}

/** T steps of Bernoulli(rate) input spikes for one sample, seeded. */
export function spikeInputs(steps: number, rate: number, seed: number): Float32Array[] {
  const rand = seeded(seed);
  const size = EVENT_NET.h * EVENT_NET.w * EVENT_NET.cin;
  return Array.from({ length: steps }, () => Float32Array.from({ length: size }, () => (rand() < rate ? 1 : 0)));
}
