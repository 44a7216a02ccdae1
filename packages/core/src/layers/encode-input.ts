import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import type { Encoder } from '../registry/kinds.js';
import { layerMessages } from '../messages.js';
import { deterministicGranule } from '../distributed/deterministic-reduction.js';

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Turns a model's batch input into the sequence its first layer consumes: a static batch
 * `[N, ...sample]` goes through the encoder (`[T, N, ...sample]`); with no encoder (event frames)
 * the input must already be `[T, N, ...sample]` with the model's T.
 * @param x [N, ...sample] static samples, or [T, N, ...sample] event frames when `encoder` is null
 * @param sample the per-sample shape the model was built for (e.g. `[28, 28, 1]`)
 * @returns [T, N, ...sample]
 */
export function encodeInput(x: Tensor, encoder: Encoder | null, timesteps: number, sample: readonly number[], where: string): Tensor {
  if (encoder === null) {
    check(x.rank === sample.length + 2 && x.shape[0] === timesteps && same(x.shape.slice(2), sample), () =>
      layerMessages.eventInput(where, x.shape, [timesteps, sample]),
    );
    return x;
  }
  checkStaticInput(x, sample, where);
  return encoder.encode(x, timesteps);
}

/** Checks a static batch `[N, ...sample]`. */
function checkStaticInput(x: Tensor, sample: readonly number[], where: string): void {
  check(x.rank === sample.length + 1 && same(x.shape.slice(1), sample), () => layerMessages.staticInput(where, x.shape, sample));
}

/**
 * {@link encodeInput} for a model whose first layer works on each step alone (a conv or linear layer)
 * and whose norm and neuron after it run through {@link normIntoNeuronRepeated}: when the encoder's
 * steps are all equal (it has `encodeOnce`, e.g. the direct encoding) the one step `[1, N, ...]`,
 * so that first layer runs once instead of on T equal copies (conv(copies) = copies of conv); else,
 * and under deterministic reductions (whose trees are over T steps), `encodeInput`'s `[T, N, ...]`.
 */
export function encodeInputOnce(x: Tensor, encoder: Encoder | null, timesteps: number, sample: readonly number[], where: string): Tensor {
  if (encoder?.encodeOnce === undefined || timesteps === 1 || deterministicGranule() !== null) return encodeInput(x, encoder, timesteps, sample, where);
  checkStaticInput(x, sample, where);
  return encoder.encodeOnce(x);
}
