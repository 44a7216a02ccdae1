import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@deepspike/core';
import { createLoader, type Dataset, type Split } from '@deepspike/datasets';
import { countCorrect, type Loss } from '../losses/loss.js';
import { neuronLayers, readFiringRates } from './monitor.js';

/** Accuracy, mean loss and per-layer firing rates over a split. */
export interface EvaluationResult {
  /** Fraction of samples classified right, in [0, 1]. */
  readonly accuracy: number;
  /** Mean loss per sample. */
  readonly loss: number;
  readonly samples: number;
  /** Mean firing rate (spikes per neuron per step) of each neuron layer, averaged over samples. */
  readonly firingRates: Record<string, number>;
}

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** Default 64. */
  readonly batchSize?: number;
  /** Default `test`. */
  readonly split?: Split;
  /** Evaluate only the first batches (default all). */
  readonly maxBatches?: number;
}

/**
 * Evaluates `model` in inference mode (running statistics) over a split, in order.
 * Restores the model's training flag afterwards.
 */
export async function evaluateModel(model: Layer, dataset: Dataset, loss: Loss, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const loader = createLoader(dataset, { split: options.split ?? 'test', batchSize: options.batchSize ?? 64 });
  const neurons = neuronLayers(model);
  const recording = [...neurons.values()].map((n) => n.recordRates);
  for (const n of neurons.values()) n.recordRates = true;
  const wasTraining = model.training;
  model.setTraining(false);
  let correct = 0;
  let lossSum = 0;
  let samples = 0;
  const rateSum: Record<string, number> = {};
  let batches = 0;
  try {
    for await (const { x, y } of loader) {
      const n = y.shape[0] as number;
      model.resetState();
      const out = tf.tidy(() => model.forward(x));
      const l = loss.compute(out, y);
      lossSum += (l.dataSync()[0] as number) * n;
      correct += countCorrect(out, y);
      samples += n;
      for (const [k, r] of Object.entries(readFiringRates(neurons))) rateSum[k] = (rateSum[k] ?? 0) + r * n;
      tf.dispose([x, y, out, l]);
      if (options.maxBatches !== undefined && ++batches >= options.maxBatches) break;
    }
  } finally {
    model.setTraining(wasTraining);
    [...neurons.values()].forEach((n, i) => (n.recordRates = recording[i] as boolean));
  }
  const firingRates: Record<string, number> = {};
  for (const [k, s] of Object.entries(rateSum)) firingRates[k] = s / samples;
  return { accuracy: correct / samples, loss: lossSum / samples, samples, firingRates };
}
