import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '@deepspike/codegen';
import { validateModelFile, type ModelSpec } from '@deepspike/dsl';
import { train, type ProgressMode, type TrainableSpec } from '@deepspike/train';
import { installPaperPlugins } from '../paper/plugins.js';
import { resolveModelFile } from './model-file.js';
import { keepAlive } from '../paper/keep-alive.js';

/** Options of {@link runAccuracy}. */
export interface AccuracyOptions {
  /** A model file, or a folder holding one (`examples/mnist-tdbn`). */
  readonly model: string;
  /** Epochs (default: the model file's `training.epochs`). */
  readonly epochs?: number;
  /** Stop after this many steps (for quick checks; a full run leaves it out). */
  readonly maxSteps?: number;
  /** Batch size (default: the model file's). */
  readonly batchSize?: number;
  /**
   * Overrides the model's time steps T (static inputs; for event inputs the dataset's `frames`
   * option is set to T too). Default: the model file's.
   */
  readonly timesteps?: number;
  /** Test batches evaluated (default all: the full test split). */
  readonly evalBatches?: number;
  /** Output directory of the training run (default `<model folder>/runs/<timestamp>`). */
  readonly out?: string;
  readonly seed?: number;
  readonly progress?: ProgressMode;
  readonly log?: (line: string) => void;
}

/** What {@link runAccuracy} records (also written to `accuracy.json` in the run's folder). */
export interface AccuracyResult {
  /** Model name (from the file). */
  readonly model: string;
  readonly file: string;
  /** Final test accuracy in [0, 1] (null when nothing was evaluated). */
  readonly accuracy: number | null;
  /** Test samples evaluated. */
  readonly samples: number;
  /** Wall-clock seconds of the training run (evaluation included). */
  readonly seconds: number;
  /** tf.js backend used. */
  readonly backend: string;
  /** Epochs completed (a partial epoch counts as not completed) and steps taken. */
  readonly epochs: number;
  readonly steps: number;
  readonly timesteps: number;
  readonly batchSize: number;
  readonly dataset: string;
  readonly date: string;
  readonly outDir: string;
}

/** The spec with T replaced (static inputs: `timesteps`; event inputs: also the dataset's `frames`). */
export function withTimesteps(spec: ModelSpec, t: number): ModelSpec {
  const s = spec as unknown as { timesteps: number; input: { encoding?: string }; training?: { dataset: { name: string; options?: Record<string, unknown> } } };
  const events = s.input.encoding === 'events';
  const training = s.training && events ? { ...s.training, dataset: { ...s.training.dataset, options: { ...s.training.dataset.options, frames: t } } } : s.training;
  return { ...(spec as object), timesteps: t, ...(training ? { training } : {}) } as unknown as ModelSpec;
}

/**
 * Trains a model file to completion with its own settings (`@deepspike/train`'s trainer: epochs,
 * optimiser, schedule, seed, checkpoints, metrics.jsonl, report.html in the run folder) and records the
 * final test accuracy, the wall-clock time and the backend. Runs on the current tf.js backend; the
 * first-party plugins and `mnist-saccade` are installed first.
 */
export async function runAccuracy(options: AccuracyOptions): Promise<AccuracyResult> {
  installPaperPlugins();
  const file = resolveModelFile(options.model);
  let spec = await validateModelFile(file, { plugins: false });
  if (options.timesteps !== undefined) spec = withTimesteps(spec, options.timesteps);
  const s = spec as unknown as TrainableSpec & { timesteps: number };
  const result = await keepAlive(() => train({
    spec: s,
    specFile: file,
    buildModel: (t) => buildModel(t as unknown as ModelSpec, { seed: t.training?.seed }),
    epochs: options.epochs,
    maxSteps: options.maxSteps,
    batchSize: options.batchSize,
    seed: options.seed,
    out: options.out,
    maxEvalBatches: options.evalBatches,
    progress: options.progress ?? 'log',
    log: options.log ?? (() => {}),
  }));
  result.model.dispose();
  const record: AccuracyResult = {
    model: s.name,
    file,
    accuracy: result.test ? result.test.accuracy : null,
    samples: result.test?.samples ?? 0,
    seconds: result.seconds,
    backend: tf.getBackend(),
    epochs: result.epochs,
    steps: result.steps,
    timesteps: s.timesteps,
    batchSize: options.batchSize ?? s.training?.batchSize ?? 64,
    dataset: s.training?.dataset.name ?? '',
    date: new Date().toISOString(),
    outDir: result.outDir,
  };
  writeFileSync(join(result.outDir, 'accuracy.json'), JSON.stringify(record, null, 2) + '\n');
  return record;
}
