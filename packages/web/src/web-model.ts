import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { deepspikePlugin as corePlugin, installPlugin, neuronLayersOf, registry, type DeepSpikePlugin, type NeuronLayer, type SpikingModel } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { fetchCheckpoint, type CheckpointSource, type FetchLike } from './checkpoint-source.js';
import { messages } from './messages.js';

/** Options of {@link loadWebModel}. */
export interface LoadWebModelOptions {
  /** Plugin packages the model needs beyond the first-party ones (their `deepspikePlugin` objects). */
  readonly plugins?: readonly DeepSpikePlugin[];
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /**
   * The training data's per-channel normalisation (`Dataset.normalization` of @deepspike/datasets,
   * e.g. MNIST's `{mean: [0.1307], std: [0.3081]}`): {@link WebModel.predict} then takes pixels in
   * [0, 1] and computes `(x - mean[c]) / std[c]` as the trainer's loader did. Default: none (inputs
   * are passed as given).
   */
  readonly normalization?: Normalization;
}

/** Per-channel `x' = (x - mean[c]) / std[c]` (channels last). */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** One prediction of {@link WebModel.predict}, for each image of the batch. */
export interface WebPrediction {
  /** The network's logits (mean over T of the last linear layer). */
  readonly logits: Float32Array;
  /** softmax(logits). */
  readonly probabilities: Float32Array;
  /** argmax of the logits. */
  readonly predicted: number;
  /**
   * Spikes of the raster layer over the T time steps: `raster[t][k]` is 0 or 1 for neuron k
   * (every neuron of the layer, flattened in channels-last order).
   */
  readonly raster: number[][];
}

/** Options of {@link WebModel.predict}. */
export interface PredictOptions {
  /** The spiking layer whose spikes are returned (a {@link WebModel.spikingLayers} name; default: the last one). */
  readonly rasterLayer?: string;
}

/**
 * A trained spiking network ready for inference in a browser (or anywhere tf.js runs): the model
 * built from the checkpoint's spec by @deepspike/codegen's `buildModel` (the same layers the
 * trainer and `deepspike evaluate` build), with the checkpoint's weights and running statistics, in
 * inference mode (tdBN uses its running statistics).
 */
export class WebModel {
  /** The underlying model (owned: {@link dispose} frees it). */
  readonly model: SpikingModel;
  /** The spec it was built from. */
  readonly spec: ModelSpec;
  /** Steps the checkpoint was trained for, when known. */
  readonly step: number | undefined;
  /** Per-sample input shape, e.g. `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Applied to inputs by {@link predict}, when set. */
  readonly normalization: Normalization | undefined;
  private readonly neurons: Map<string, NeuronLayer>;

  constructor(model: SpikingModel, spec: ModelSpec, options: { step?: number; normalization?: Normalization } = {}) {
    this.model = model.setTraining(false);
    this.step = options.step;
    this.normalization = options.normalization;
    this.spec = spec;
    this.inputShape = [...spec.input.shape];
    this.neurons = neuronLayersOf(model);
  }

  /** Time steps T. */
  get timesteps(): number {
    return this.model.timesteps;
  }

  /** Dotted paths of the spiking neuron layers, in network order (e.g. `neuron2`, `neuron10`). */
  get spikingLayers(): string[] {
    return [...this.neurons.keys()];
  }

  /**
   * Runs the network on a batch of images.
   * @param images `[N, ...inputShape]` tensor, or the flat float32 values of N images (row-major,
   *   channels last; e.g. {@link toMnistInput}'s output); pixels in [0, 1] when the model has a
   *   {@link normalization}, else already normalised
   * @returns one {@link WebPrediction} per image
   */
  async predict(images: Tensor | Float32Array, options: PredictOptions = {}): Promise<WebPrediction[]> {
    const per = this.inputShape.reduce((a, b) => a * b, 1);
    const layerName = options.rasterLayer ?? this.spikingLayers[this.spikingLayers.length - 1];
    const neuron = layerName === undefined ? undefined : this.neurons.get(layerName);
    if (options.rasterLayer !== undefined && !neuron) throw new Error(messages.noLayer(options.rasterLayer, this.spikingLayers));
    let x: Tensor;
    if (images instanceof Float32Array) {
      if (per === 0 || images.length % per !== 0 || images.length === 0) throw new Error(messages.pixelCount(images.length, per));
      x = tf.tensor(images, [images.length / per, ...this.inputShape], 'float32');
    } else {
      if (!tf.util.arraysEqual(images.shape.slice(1), [...this.inputShape])) throw new Error(messages.inputShape(images.shape, this.inputShape));
      x = images;
    }
    const norm = this.normalization;
    if (norm) {
      const raw = x;
      x = tf.tidy(() => tf.div(tf.sub(raw, tf.tensor1d([...norm.mean])), tf.tensor1d([...norm.std])));
      if (raw !== images) raw.dispose();
    }
    if (neuron) neuron.recordSpikes = true;
    try {
      this.model.resetState();
      const logits = tf.tidy(() => this.model.forward(x));
      const probs = tf.tidy(() => tf.softmax(logits));
      const [l, p] = await Promise.all([logits.data(), probs.data()]);
      tf.dispose([logits, probs]);
      const n = logits.shape[0] as number;
      const classes = logits.shape[1] as number;
      let spikes: Float32Array | undefined;
      let t = 0;
      let k = 0;
      if (neuron?.lastSpikes) {
        const s = neuron.lastSpikes;
        t = s.shape[0] as number;
        k = s.size / (t * n);
        spikes = (await s.data()) as Float32Array;
      }
      return Array.from({ length: n }, (_, i) => {
        const logitsI = Float32Array.from(l.subarray(i * classes, (i + 1) * classes));
        let predicted = 0;
        for (let c = 1; c < classes; c++) if ((logitsI[c] as number) > (logitsI[predicted] as number)) predicted = c;
        const raster: number[][] = [];
        // lastSpikes is [T, N, ...]: sample i of step s starts at (s·N + i)·k.
        if (spikes) for (let s = 0; s < t; s++) raster.push(Array.from(spikes.subarray((s * n + i) * k, (s * n + i + 1) * k)));
        return { logits: logitsI, probabilities: Float32Array.from(p.subarray(i * classes, (i + 1) * classes)), predicted, raster };
      });
    } finally {
      if (neuron) {
        neuron.recordSpikes = false;
        neuron.lastSpikes?.dispose();
        neuron.lastSpikes = null;
      }
      if (x !== images) x.dispose();
    }
  }

  /** Frees the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }
}

/** Installs the first-party registry entries the browser bundle carries (neurons, surrogates, norms) and the given plugins. */
function installPlugins(extra: readonly DeepSpikePlugin[]): void {
  for (const p of [corePlugin, surrogatePlugin, tdbnPlugin, ...extra]) installPlugin(p, registry);
}

/**
 * Loads a trained checkpoint for inference: fetches its `state.json` (the spec) and its tf.js
 * weights, builds the model and assigns the weights (names and shapes checked).
 * @param source a checkpoint folder's URL (a run's `checkpoint/step-*`), or an already opened {@link CheckpointSource}
 * @throws Error naming the URL when the checkpoint cannot be fetched or does not fit its spec
 */
export async function loadWebModel(source: string | CheckpointSource, options: LoadWebModelOptions = {}): Promise<WebModel> {
  installPlugins(options.plugins ?? []);
  const ckpt = typeof source === 'string' ? await fetchCheckpoint(source, options.fetch) : source;
  const spec = ckpt.spec;
  const training = spec.training;
  const model = buildModel(spec, { seed: training?.seed });
  try {
    await model.loadWeights(ckpt.weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return new WebModel(model, spec, { step: ckpt.step, normalization: options.normalization });
}
