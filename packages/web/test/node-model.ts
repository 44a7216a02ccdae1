import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { deepspikePlugin as corePlugin, installPlugin, neuronLayersOf, type SpikingModel } from '@deepspike/core';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { buildModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { openMnist } from '@deepspike/datasets';
import { disposeCheckpoint, findCheckpoint, loadCheckpoint, train, type TrainableSpec } from '@deepspike/train';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The default example's model file. */
export const MNIST_TDBN = join(root, 'examples', 'mnist-tdbn', 'mnist-tdbn.snn.json');

const build = (s: TrainableSpec): SpikingModel => {
  for (const p of [corePlugin, surrogatePlugin, tdbnPlugin]) installPlugin(p);
  return buildModel(s as unknown as ModelSpec, { seed: s.training?.seed });
};

/** Trains mnist-tdbn for `steps` steps into `out` with the trainer (no evaluation, no report); returns the step-* folder. */
export async function trainFixture(out: string, steps: number): Promise<string> {
  const spec = JSON.parse(readFileSync(MNIST_TDBN, 'utf8')) as TrainableSpec;
  const r = await train({ spec, buildModel: build, maxSteps: steps, out, evaluate: false, report: false, progress: 'log', log: () => {} });
  r.model.dispose();
  const dir = await findCheckpoint(out);
  if (!dir) throw new Error(`trainFixture: no checkpoint under ${out}`);
  return dir;
}

/** The Node model: built by codegen and loaded by the trainer's loadCheckpoint, as `deepspike evaluate` does. */
export async function loadNodeModel(checkpoint: string): Promise<SpikingModel> {
  const state = JSON.parse(readFileSync(join(checkpoint, 'state.json'), 'utf8')) as { spec: TrainableSpec };
  const model = build(state.spec);
  disposeCheckpoint(await loadCheckpoint(checkpoint, model.namedParameters()));
  return model.setTraining(false);
}

/** The first `n` MNIST test images (pixels in [0, 1]) and labels. */
export async function mnistTestImages(n: number): Promise<{ images: Float32Array; labels: number[]; normalization: { mean: number[]; std: number[] } }> {
  const ds = await openMnist();
  const images = new Float32Array(n * 784);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = await ds.get('test', i);
    images.set(s.x, i * 784);
    labels.push(s.label);
  }
  await ds.close?.();
  const norm = ds.normalization!;
  return { images, labels, normalization: { mean: [...norm.mean], std: [...norm.std] } };
}

/**
 * The Node model's logits and the spikes of its last spiking layer on pixels in [0, 1], normalised
 * as the trainer's loader does (`(x - mean) / std`, computed here in plain JS).
 * @returns logits [N][classes] and raster [N][T][neurons]
 */
export function nodePredict(model: SpikingModel, images: Float32Array, norm: { mean: number[]; std: number[] }): { logits: number[][]; raster: number[][][] } {
  const x = Float32Array.from(images, (v) => (v - (norm.mean[0] as number)) / (norm.std[0] as number));
  const n = images.length / 784;
  const neurons = [...neuronLayersOf(model).values()];
  const last = neurons[neurons.length - 1]!;
  last.recordSpikes = true;
  try {
    model.resetState();
    const logits = tf.tidy(() => model.forward(tf.tensor(x, [n, 28, 28, 1])));
    const l = logits.arraySync() as number[][];
    logits.dispose();
    const s = last.lastSpikes!;
    const steps = s.arraySync() as number[][][];
    return { logits: l, raster: Array.from({ length: n }, (_, i) => steps.map((row) => row[i] as number[])) };
  } finally {
    last.recordSpikes = false;
  }
}
