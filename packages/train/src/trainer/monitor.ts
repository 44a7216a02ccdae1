import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from '@deepspike/core';

/** The monitoring surface of a spiking neuron layer (core's `NeuronLayer`). */
export interface MonitoredNeuron {
  recordRates: boolean;
  readonly lastFiringRate: Tensor | null;
  recordSpikes: boolean;
  readonly lastSpikes: Tensor | null;
}

function isNeuron(layer: unknown): layer is Layer & MonitoredNeuron {
  return typeof layer === 'object' && layer !== null && 'recordRates' in layer && 'lastFiringRate' in layer;
}

/**
 * Every spiking neuron layer under `model`, by dotted path, in declaration order (the model's
 * `neuronLayers()` when it has one, else a walk of the layer tree).
 */
export function neuronLayers(model: Layer): Map<string, Layer & MonitoredNeuron> {
  const own = (model as { neuronLayers?: () => ReadonlyMap<string, unknown> }).neuronLayers;
  if (typeof own === 'function') {
    const out = new Map<string, Layer & MonitoredNeuron>();
    for (const [k, v] of own.call(model)) if (isNeuron(v)) out.set(k, v);
    return out;
  }
  const out = new Map<string, Layer & MonitoredNeuron>();
  const walk = (layer: Layer, prefix: string): void => {
    for (const [name, child] of layer.childLayers()) {
      const path = prefix + name;
      if (isNeuron(child)) out.set(path, child);
      walk(child, `${path}.`);
    }
  };
  walk(model, '');
  return out;
}

/** Reads each neuron layer's `lastFiringRate` (mean spikes per neuron per step of the last forward). */
export function readFiringRates(neurons: ReadonlyMap<string, MonitoredNeuron>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of neurons) {
    const r = n.lastFiringRate;
    if (r && !r.isDisposed) out[name] = (r.dataSync()[0] as number);
  }
  return out;
}

/** Spike trains of one sample: for each neuron layer, `[T][k]` spikes of `maxNeurons` neurons spread evenly over it. */
export type SpikeRaster = Record<string, number[][]>;

/**
 * Runs one forward pass on a single sample with `recordSpikes` on and returns the spikes of each
 * neuron layer (sample 0; `maxNeurons` neurons evenly spaced over the flattened non-time axes).
 * @param x the model's input for one sample (batch of 1)
 */
export function recordRaster(model: Layer, x: Tensor, maxNeurons = 64): SpikeRaster {
  const neurons = neuronLayers(model);
  for (const n of neurons.values()) n.recordSpikes = true;
  const out: SpikeRaster = {};
  try {
    model.resetState();
    tf.tidy(() => void model.forward(x));
    for (const [name, n] of neurons) {
      const s = n.lastSpikes;
      if (!s || s.isDisposed || s.rank < 2) continue;
      const [t] = s.shape as number[];
      const flat = tf.tidy(() => tf.reshape(tf.slice(s, [0, 0], [t as number, 1]), [t as number, -1]));
      const total = flat.shape[1] as number;
      const k = Math.min(maxNeurons, total);
      // Neurons spread evenly over the layer (the first ones of a conv map are its silent border).
      const picks = Array.from({ length: k }, (_, i) => Math.floor((i * total) / k));
      const data = flat.arraySync() as number[][];
      flat.dispose();
      out[name] = data.map((row) => picks.map((j) => row[j] as number));
    }
  } finally {
    for (const n of neurons.values()) n.recordSpikes = false;
  }
  return out;
}

/**
 * Per-layer random-stream positions: layers with a numeric `calls` counter (core's seeded
 * `Dropout` draws call k from seed + k) by dotted path, so a checkpoint can restore them and a
 * resumed run draws the same masks as an uninterrupted one.
 */
export function layerCounters(model: Layer): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (layer: Layer, prefix: string): void => {
    for (const [name, child] of layer.childLayers()) {
      const calls = (child as unknown as { calls?: unknown }).calls;
      if (typeof calls === 'number') out[prefix + name] = calls;
      walk(child, `${prefix}${name}.`);
    }
  };
  walk(model, '');
  return out;
}

/** Restores counters saved by {@link layerCounters} (paths the model lacks are ignored). */
export function restoreLayerCounters(model: Layer, counters: Readonly<Record<string, number>>): void {
  const walk = (layer: Layer, prefix: string): void => {
    for (const [name, child] of layer.childLayers()) {
      const saved = counters[prefix + name];
      if (typeof saved === 'number' && typeof (child as unknown as { calls?: unknown }).calls === 'number') (child as unknown as { calls: number }).calls = saved;
      walk(child, `${prefix}${name}.`);
    }
  };
  walk(model, '');
}
