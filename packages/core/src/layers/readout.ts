import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from './layer.js';
import { layerMessages } from '../messages.js';

/**
 * How a model turns its last layer's sequence into outputs:
 * - `membrane`: mean over T of the last linear layer's output (no neuron after it), as the STBP-tdBN
 *   reference code does — `logits[n] = (1/T) Σ_t y[t, n]`;
 * - `rate`: mean over T of the spikes of a final spiking layer (the firing rate);
 * - `tet`: the per-step outputs `[T, N, K]` unchanged, for the TET loss.
 */
export type ReadoutMode = 'membrane' | 'rate' | 'tet';

/** The readout step of a model (no parameters). */
export class Readout extends Layer {
  readonly mode: ReadoutMode;

  constructor(name: string, mode: ReadoutMode) {
    super(name);
    this.mode = mode;
  }

  /**
   * @param x [T, N, K]
   * @returns [N, K] (membrane, rate) or [T, N, K] (tet)
   */
  forward(x: Tensor): Tensor {
    check(x.rank >= 2, () => layerMessages.inputRank(`Readout "${this.name}"`, x.shape, 'rank >= 2 [T, N, K]'));
    return this.mode === 'tet' ? x : tf.mean(x, 0);
  }
}
