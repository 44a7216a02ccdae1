import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { deepspikePlugin as corePlugin, installPlugin, neuronLayersOf, type SpikingModel } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { openMnist } from '@deepspike/datasets';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { disposeCheckpoint, loadCheckpoint, type TrainableSpec } from '@deepspike/train';

/** The Node model of a checkpoint: built by codegen and loaded by the trainer's loadCheckpoint, as `deepspike evaluate` does. */
export async function loadNodeModel(checkpoint: string): Promise<SpikingModel> {
  for (const p of [corePlugin, surrogatePlugin, tdbnPlugin]) installPlugin(p);
  const state = JSON.parse(readFileSync(join(checkpoint, 'state.json'), 'utf8')) as { spec: TrainableSpec };
  const model = buildModel(state.spec as unknown as ModelSpec, { seed: state.spec.training?.seed });
  disposeCheckpoint(await loadCheckpoint(checkpoint, model.namedParameters()));
  return model.setTraining(false);
}

/** MNIST test images `first .. first+n-1` as [n·784] pixels in [0, 1] (the IDX bytes / 255) with labels. */
export async function mnistTestImages(first: number, n: number): Promise<{ images: Float32Array[]; labels: number[] }> {
  const ds = await openMnist();
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = first; i < first + n; i++) {
    const s = await ds.get('test', i);
    images.push(Float32Array.from(s.x));
    labels.push(s.label);
  }
  await ds.close?.();
  return { images, labels };
}

/**
 * The Node model's logits and the spikes of its last spiking layer on one image of pixels in [0, 1],
 * normalised with `norm` as the trainer's loader does.
 */
export function nodePredict(model: SpikingModel, pixels: ArrayLike<number>, norm: { mean: number[]; std: number[] }): { logits: number[]; predicted: number; raster: number[][] } {
  const x = Float32Array.from(pixels, (v) => (v - (norm.mean[0] as number)) / (norm.std[0] as number));
  const neurons = [...neuronLayersOf(model).values()];
  const last = neurons[neurons.length - 1]!;
  last.recordSpikes = true;
  try {
    model.resetState();
    const out = tf.tidy(() => model.forward(tf.tensor(x, [1, 28, 28, 1])));
    const logits = (out.arraySync() as number[][])[0]!;
    out.dispose();
    const raster = (last.lastSpikes!.arraySync() as number[][][]).map((step) => step[0]!);
    return { logits, predicted: logits.indexOf(Math.max(...logits)), raster };
  } finally {
    last.recordSpikes = false;
  }
}
