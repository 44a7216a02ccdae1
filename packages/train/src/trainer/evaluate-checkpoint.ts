import { loadInstalledPlugins, registry, type Layer } from '@deepspike/core';
import type { Dataset } from '@deepspike/datasets';
import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../messages.js';
import { disposeCheckpoint, findCheckpoint, loadCheckpoint } from '../checkpoint/checkpoint.js';
import { resolveConfig } from './config.js';
import { evaluateModel, type EvaluationResult } from './evaluate.js';
import { openDataset } from '@deepspike/datasets';
import type { TrainableSpec } from './spec.js';

/** Options of {@link evaluateCheckpoint}. */
export interface EvaluateCheckpointOptions {
  readonly spec: TrainableSpec;
  /** A run directory, its `checkpoint/` directory or one `step-*` checkpoint. */
  readonly checkpoint: string;
  /** Builds the network (e.g. codegen's `buildModel`). */
  readonly buildModel?: (spec: TrainableSpec) => Layer;
  readonly model?: Layer;
  readonly dataset?: Dataset;
  /** Default: the spec's batch size. */
  readonly batchSize?: number;
  readonly maxBatches?: number;
}

/**
 * Loads a checkpoint into the model of `spec` and evaluates it on the test split with the spec's loss.
 * @returns `{accuracy, loss, samples, firingRates}` and the checkpoint used
 */
export async function evaluateCheckpoint(options: EvaluateCheckpointOptions): Promise<EvaluationResult & { checkpoint: string; step: number }> {
  await loadInstalledPlugins();
  const dir = await findCheckpoint(options.checkpoint);
  if (!dir) throw new DeepSpikeError(messages.noCheckpoint(options.checkpoint));
  const config = resolveConfig(options.spec, { batchSize: options.batchSize });
  const model = options.model ?? options.buildModel?.(options.spec);
  if (!model) throw new DeepSpikeError(messages.trainOption('buildModel', undefined, 'a model builder (codegen buildModel) or a model'));
  try {
    const loaded = await loadCheckpoint(dir, model.namedParameters());
    disposeCheckpoint(loaded);
    const dataset = options.dataset ?? (await openDataset(config.dataset.name, config.dataset.options));
    const loss = registry.get('loss', config.loss.name).create(config.loss.options);
    const r = await evaluateModel(model, dataset, loss, { batchSize: config.batchSize, maxBatches: options.maxBatches });
    return { ...r, checkpoint: dir, step: loaded.state.step };
  } finally {
    if (!options.model) model.dispose();
  }
}
