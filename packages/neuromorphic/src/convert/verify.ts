import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { NeuronLayer, normIntoNeuron, type Encoder, type Layer } from '@deepspike/core';
import type { HardwareGraph } from '../graph/types.js';
import { simulateFloat } from '../sim/float-sim.js';
import { simulateInteger } from '../sim/int-sim.js';
import { quantizeInput, type QuantizedGraph } from '../quant/quantize.js';

/** The parts of a built model (codegen's BuiltModel) the verifier uses. */
export interface RunnableModel extends Layer {
  readonly timesteps: number;
  readonly encoder?: Encoder | null;
  readonly layers?: ReadonlyMap<string, Layer>;
  forward(x: Tensor): Tensor;
}

/**
 * Splits an encoded batch `[T, N, ...sample]` into the graph's per-sample inputs.
 * @returns per sample, T channels-last frames
 */
export function sequenceToInputs(seq: Tensor): Float64Array[][] {
  const [T, N] = seq.shape as [number, number];
  const per = seq.size / (T * N);
  const data = seq.dataSync();
  return Array.from({ length: N }, (_, n) => Array.from({ length: T }, (_, t) => Float64Array.from(data.subarray((t * N + n) * per, (t * N + n + 1) * per))));
}

/** The model's encoder applied once to `[N, ...sample]` (events `[T, N, ...]` pass through); the caller disposes a new tensor. */
export function encodeOnce(model: RunnableModel, x: Tensor): Tensor {
  return model.encoder ? model.encoder.encode(x, model.timesteps) : x;
}

/**
 * Runs the model's layers on an already encoded sequence (the twin of BuiltModel.forward without its
 * encoder) and returns the readout `[N, K]` and each neuron layer's spikes `[T, N, ...]` as arrays.
 */
export function runModelOnSequence(model: RunnableModel, seq: Tensor): { logits: Float32Array; spikes: Map<Layer, Float32Array> } {
  const neurons: NeuronLayer[] = [];
  const visit = (l: Layer): void => {
    if (l instanceof NeuronLayer) neurons.push(l);
    for (const c of l.childLayers().values()) visit(c);
  };
  visit(model);
  for (const n of neurons) n.recordSpikes = true;
  model.setTraining(false);
  model.resetState();
  const logits = tf.tidy(() => {
    let h = seq;
    const layers = model.layers ?? new Map([...model.childLayers()].filter(([, c]) => c.constructor.name !== 'Readout'));
    const list = [...layers.values()];
    for (let i = 0; i < list.length; i++) {
      const l = list[i] as Layer;
      const next = list[i + 1];
      // A membrane norm (MPBN) runs inside the neuron after it, as the generated forward does.
      if (typeof (l as unknown as { foldedThresholds?: unknown }).foldedThresholds === 'function' && next instanceof NeuronLayer) {
        h = normIntoNeuron(l, next, h);
        i++;
      } else h = l.forward(h);
    }
    return tf.mean(h, 0);
  });
  const out = Float32Array.from(logits.dataSync());
  logits.dispose();
  const spikes = new Map<Layer, Float32Array>();
  for (const n of neurons) {
    if (n.lastSpikes) spikes.set(n, Float32Array.from(n.lastSpikes.dataSync()));
    n.recordSpikes = false;
    n.lastSpikes?.dispose();
    n.lastSpikes = null;
  }
  return { logits: out, spikes };
}

const argmax = (a: ArrayLike<number>): number => {
  let b = 0;
  for (let i = 1; i < a.length; i++) if ((a[i] as number) > (a[b] as number)) b = i;
  return b;
};

/** Agreement of the float graph (and optionally the integer graph) with the model on a batch. */
export interface AgreementReport {
  readonly samples: number;
  /** Samples where the float graph's prediction equals the model's. */
  readonly floatAgree: number;
  /** Samples where the integer graph's prediction equals the float graph's. */
  readonly intAgree: number;
  /** Spikes that differ between model and float graph, over all compared neurons and steps. */
  readonly spikeMismatches: number;
  readonly spikesCompared: number;
  /** Predictions per sample (model, float graph, integer graph). */
  readonly predictions: { model: number; float: number; int: number | null }[];
  /** Mean spikes per neuron per step of each population in the float graph. */
  readonly rates: Record<string, number>;
  /** Per-neuron spike counts summed over the batch (float graph), for energy. */
  readonly neuronCounts: Record<string, Float64Array>;
  /** Integer graph's spike totals and float graph's, for firing-rate change. */
  readonly intSpikes: number;
  readonly floatSpikes: number;
  /**
   * Per population (graph order), integer vs float spike trains: `matches` of `compared` (neuron, step)
   * pairs equal, and each side's spike total. Empty without a quantised graph.
   */
  /** Membrane potentials the integer simulator clipped to the state range, and partial sums it clipped. */
  readonly saturations: number;
  readonly partialSumSaturations: number;
  readonly layers: { readonly layer: string; readonly matches: number; readonly compared: number; readonly floatSpikes: number; readonly intSpikes: number }[];
}

/** Options of {@link compareOnBatch}. */
export interface CompareOptions {
  /** Fan-in split into partial sums per synapse node, for the integer simulator (see IntSimOptions.partialSums). */
  readonly partialSums?: Readonly<Record<string, number>>;
}

/**
 * Compares, sample by sample, the model (tf.js, float32) with the folded float graph (float64) —
 * spikes layer by layer, predictions — and, when given, the quantised graph run by the integer
 * event-driven simulator with the float graph's predictions.
 */
export function compareOnBatch(model: RunnableModel, graph: HardwareGraph, populations: Map<Layer, string>, x: Tensor, quantized?: QuantizedGraph, options: CompareOptions = {}): AgreementReport {
  const seq = encodeOnce(model, x);
  const inputs = sequenceToInputs(seq);
  const ref = runModelOnSequence(model, seq);
  if (seq !== x) seq.dispose();
  const N = inputs.length;
  const K = ref.logits.length / N;
  const T = model.timesteps;
  let floatAgree = 0;
  let intAgree = 0;
  let mism = 0;
  let compared = 0;
  let intSpikes = 0;
  let floatSpikes = 0;
  let saturations = 0;
  let partialSumSaturations = 0;
  const predictions: AgreementReport['predictions'] = [];
  const neuronCounts: Record<string, Float64Array> = {};
  const spikeTotals: Record<string, number> = {};
  const perLayer = new Map<string, { layer: string; matches: number; compared: number; floatSpikes: number; intSpikes: number }>();
  for (let n = 0; n < N; n++) {
    const input = { input: inputs[n] as Float64Array[] };
    const f = simulateFloat(graph, input, { steps: T, recordNeuronCounts: true, recordSpikeTrains: quantized !== undefined });
    const m = argmax(ref.logits.subarray(n * K, (n + 1) * K));
    const fp = argmax(f.outputSum.output as Float64Array);
    if (fp === m) floatAgree++;
    for (const [layer, name] of populations) {
      const s = ref.spikes.get(layer);
      const counts = f.neuronCounts[name];
      if (!s || !counts) continue;
      const per = s.length / (T * N);
      for (let i = 0; i < per; i++) {
        let c = 0;
        for (let t = 0; t < T; t++) c += s[(t * N + n) * per + i] as number;
        mism += Math.abs(c - (counts[i] as number));
        compared += T;
      }
    }
    for (const [k, v] of Object.entries(f.neuronCounts)) {
      const acc = (neuronCounts[k] ??= new Float64Array(v.length));
      for (let i = 0; i < v.length; i++) acc[i] = (acc[i] as number) + (v[i] as number);
    }
    for (const [k, v] of Object.entries(f.spikeCounts)) {
      spikeTotals[k] = (spikeTotals[k] ?? 0) + v;
      floatSpikes += v;
    }
    let ip: number | null = null;
    if (quantized) {
      const q = simulateInteger(quantized.graph, { input: (inputs[n] as Float64Array[]).map((v) => quantizeInput(v, quantized.inputUnit)) }, { mode: 'event', steps: T, recordSpikeTrains: true, ...(options.partialSums ? { partialSums: options.partialSums } : {}) });
      ip = argmax(q.outputSum.output as Float64Array);
      if (ip === fp) intAgree++;
      intSpikes += Object.values(q.spikeCounts).reduce((a, b) => a + b, 0);
      saturations += q.saturations;
      partialSumSaturations += q.partialSumSaturations;
      for (const [layer, ft] of Object.entries(f.spikeTrains)) {
        const it = q.spikeTrains[layer];
        if (!it) continue;
        const acc = perLayer.get(layer) ?? { layer, matches: 0, compared: 0, floatSpikes: 0, intSpikes: 0 };
        ft.forEach((fs, t) => {
          const is = it[t] as Uint8Array;
          for (let i = 0; i < fs.length; i++) {
            if (fs[i] === is[i]) acc.matches++;
            acc.floatSpikes += fs[i] as number;
            acc.intSpikes += is[i] as number;
          }
          acc.compared += fs.length;
        });
        perLayer.set(layer, acc);
      }
    }
    predictions.push({ model: m, float: fp, int: ip });
  }
  const rates: Record<string, number> = {};
  for (const [k, v] of Object.entries(spikeTotals)) rates[k] = v / ((neuronCounts[k]?.length ?? 1) * T * N);
  return { samples: N, floatAgree, intAgree, spikeMismatches: mism, spikesCompared: compared, predictions, rates, neuronCounts, intSpikes, floatSpikes, saturations, partialSumSaturations, layers: [...perLayer.values()] };
}
