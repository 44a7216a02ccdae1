import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import type { FoldingFactors } from '../layers/channel-norm.js';
import { messages } from '../messages.js';

/** A norm that can be folded: its inference-mode per-channel map `y = scale*x + shift`. */
export interface FoldableNorm {
  /** Number of channels C. */
  readonly channels: number;
  /** `scale` [C], `shift` [C] with `y = scale*x + shift` in inference mode. */
  foldingFactors(): FoldingFactors;
}

/** Weight and bias of a conv/linear layer with the norm folded in. */
export interface FoldedLayer {
  /** Same shape as the weight given. */
  readonly weight: Tensor;
  /** [C] */
  readonly bias: Tensor;
}

/** Checks the weight is `[kh, kw, cin, C]` or `[in, C]` and the bias `[C]` (or absent). */
export function checkFoldInputs(weight: Tensor, bias: Tensor | null | undefined, channels: number, where: string): void {
  check((weight.rank === 4 || weight.rank === 2) && weight.shape[weight.rank - 1] === channels, () => messages.foldWeight(where, weight.shape, channels));
  check(bias == null || (bias.rank === 1 && bias.shape[0] === channels), () => messages.foldBias(where, bias?.shape ?? [], channels));
}

/**
 * Folds a tdBN (or plain BN) in inference mode into the conv or linear layer that feeds it — the
 * paper's inference equations, with the running statistics:
 *
 * `W' = lambda*alpha*Vth*W/sqrt(var + eps)`, `b' = lambda*alpha*Vth*(b - mean)/sqrt(var + eps) + beta`,
 *
 * i.e. `W' = scale*W` and `b' = scale*b + shift` per output channel with
 * `{scale, shift} = norm.foldingFactors()`. Then `conv(x, W') + b'` equals `norm(conv(x, W) + b)`
 * to float32 rounding, for either sign of lambda. Computed in float64, rounded to float32.
 *
 * @param convWeight conv `[kh, kw, cin, C]` or linear `[in, C]` weight
 * @param convBias [C], or null when the layer has no bias
 * @param norm a `TdBN` / `BatchNorm` (anything with `foldingFactors()`)
 * @returns new tensors (the caller owns them)
 * @throws InvalidArgumentError when the weight's last axis or the bias is not C (with a hint for
 *   PyTorch's `[cout, cin, kh, kw]` / `[out, in]` layouts)
 */
export function fold(convWeight: Tensor, convBias: Tensor | null | undefined, norm: FoldableNorm): FoldedLayer {
  const c = norm.channels;
  checkFoldInputs(convWeight, convBias, c, 'fold');
  const { scale, shift } = norm.foldingFactors();
  const w = convWeight.dataSync();
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = (w[i] as number) * (scale[i % c] as number);
  const b = convBias ? convBias.dataSync() : new Float32Array(c);
  const bias = new Float32Array(c);
  for (let j = 0; j < c; j++) bias[j] = (scale[j] as number) * (b[j] as number) + (shift[j] as number);
  return { weight: tf.tensor(out, convWeight.shape, 'float32'), bias: tf.tensor1d(bias, 'float32') };
}
