import type { io, Tensor } from '@tensorflow/tfjs-core';
import { Layer } from '../layers/layer.js';
import { assignWeights, readWeights, saveWeights, type AssignOptions, type WeightsDestination } from '../io/weights.js';

/**
 * Base class of every spiking model (generated model classes extend it). A model is a layer with
 * a fixed number of time steps, an input encoder step and weight persistence.
 */
export abstract class SpikingModel extends Layer {
  /** Simulation time steps T. */
  readonly timesteps: number;

  constructor(name: string, timesteps: number) {
    super(name);
    this.timesteps = timesteps;
  }

  /**
   * Runs the network on a batch.
   * @param x the model's input (static `[N, ...]` or a sequence `[T, N, ...]`, as the model declares)
   * @returns logits `[N, classes]` (or per-step outputs, as the model's readout declares)
   */
  abstract override forward(x: Tensor): Tensor;

  /** Saves every parameter and buffer in tf.js format to `file://<dir>` or an IOHandler. */
  saveWeights(dest: WeightsDestination, metadata: Record<string, unknown> = {}): Promise<io.SaveResult> {
    return saveWeights(this.namedParameters(), dest, metadata);
  }

  /**
   * Loads weights saved by {@link saveWeights}, checking names and shapes.
   * @returns the metadata stored with them
   */
  async loadWeights(src: WeightsDestination, options: AssignOptions = {}): Promise<Record<string, unknown>> {
    const { tensors, metadata } = await readWeights(src);
    assignWeights(this.namedParameters(), tensors, options);
    return metadata;
  }
}
