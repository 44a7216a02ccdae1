import * as tf from '@tensorflow/tfjs-core';
import type { io, NamedTensorMap, Variable } from '@tensorflow/tfjs-core';
import { DeepSpikeError, WeightsMismatchError } from '../errors.js';
import { messages } from '../messages.js';
import { registerFileRouters } from './file-system-handler.js';

/** Where weights go or come from: a URL (`file://dir`, or any tf.io scheme) or an IOHandler. */
export type WeightsDestination = string | io.IOHandler;

/** Format tag written into model.json. */
export const WEIGHTS_FORMAT = 'deepspike-weights';

function handlerFor(dest: WeightsDestination, save: boolean): io.IOHandler {
  if (typeof dest !== 'string') return dest;
  registerFileRouters();
  const handlers = save ? tf.io.getSaveHandlers(dest) : tf.io.getLoadHandlers(dest);
  if (handlers.length !== 1 || !handlers[0]) {
    throw new DeepSpikeError(
      `${save ? 'saveWeights' : 'loadWeights'}: no tf.io handler for "${dest}", got ${handlers.length} handlers; expected one. ` +
        `Use a file://<directory> URL or pass an IOHandler (tf.io.withSaveHandler / tf.io.fromMemory).`,
    );
  }
  return handlers[0];
}

/**
 * Saves named tensors in tf.js's format (`model.json` + binary weights).
 * @param weights parameter name -> tensor (e.g. `model.namedParameters()`)
 * @param dest `file://<dir>` or an IOHandler
 * @param metadata stored as `userDefinedMetadata` (e.g. the spec hash)
 */
export async function saveWeights(
  weights: ReadonlyMap<string, tf.Tensor>,
  dest: WeightsDestination,
  metadata: Record<string, unknown> = {},
): Promise<io.SaveResult> {
  const named: NamedTensorMap = Object.fromEntries(weights);
  const { data, specs } = await tf.io.encodeWeights(named);
  const artifacts: io.ModelArtifacts = {
    modelTopology: { format: WEIGHTS_FORMAT, parameters: [...weights.keys()] },
    format: WEIGHTS_FORMAT,
    generatedBy: '@deepspike/core',
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: metadata as Record<string, {}>,
  };
  return handlerFor(dest, true).save!(artifacts);
}

/** Weights and metadata read back by {@link readWeights}. */
export interface LoadedWeights {
  readonly tensors: NamedTensorMap;
  readonly metadata: Record<string, unknown>;
}

/** Reads named tensors saved by {@link saveWeights}. The caller owns (and disposes) the tensors. */
export async function readWeights(src: WeightsDestination): Promise<LoadedWeights> {
  const artifacts = await handlerFor(src, false).load!();
  if (!artifacts.weightSpecs || artifacts.weightData === undefined) {
    throw new DeepSpikeError(`loadWeights: the source holds no weights, got a topology only; expected weight specs and data. Save with saveWeights().`);
  }
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  return { tensors, metadata: (artifacts.userDefinedMetadata ?? {}) as Record<string, unknown> };
}

/** Options of {@link assignWeights}. */
export interface AssignOptions {
  /** Refuse saved weights the model does not have (default true). */
  readonly strict?: boolean;
}

/**
 * Copies loaded tensors into the model's variables, checking that every parameter is present with
 * the right shape. Disposes `tensors`.
 * @throws WeightsMismatchError naming missing, extra or mis-shaped weights
 */
export function assignWeights(params: ReadonlyMap<string, Variable>, tensors: NamedTensorMap, options: AssignOptions = {}): void {
  const where = 'loadWeights';
  try {
    const missing = [...params.keys()].filter((k) => !(k in tensors));
    if (missing.length > 0) throw new WeightsMismatchError(messages.weightsMissing(where, missing, Object.keys(tensors)));
    const extra = Object.keys(tensors).filter((k) => !params.has(k));
    if (extra.length > 0 && (options.strict ?? true)) throw new WeightsMismatchError(messages.weightsUnexpected(where, extra));
    for (const [k, v] of params) {
      const t = tensors[k] as tf.Tensor;
      if (!tf.util.arraysEqual(t.shape, v.shape)) throw new WeightsMismatchError(messages.weightsShape(where, k, t.shape, v.shape));
    }
    for (const [k, v] of params) v.assign(tensors[k] as tf.Tensor);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
