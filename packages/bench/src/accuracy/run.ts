import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileDurably } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import { validateModelFile, type ModelSpec } from '@deepspike/dsl';
import { MetricsLog, train, type EvaluationEvent, type ProgressMode } from '@deepspike/train';
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
  /** Continue the run in `out` (default: the model's newest run) from its last checkpoint. */
  readonly resume?: boolean;
  /** Also checkpoint every this many steps inside epochs (default: only the model file's epoch rule). */
  readonly checkpointEverySteps?: number;
  readonly seed?: number;
  readonly progress?: ProgressMode;
  readonly log?: (line: string) => void;
}

/** One evaluation on the test split during the run (each epoch end, and the end). */
export interface AccuracyEpoch {
  /** Epochs completed. */
  readonly epoch: number;
  readonly step: number;
  readonly accuracy: number;
  readonly loss: number;
  readonly samples: number;
  /** Wall-clock seconds since the run started (resumed sessions included). */
  readonly elapsed: number;
}

/**
 * What {@link runAccuracy} records in `accuracy.json` in the run's folder. The file is rewritten after
 * every evaluation (`complete: false` until the last), so a run that is killed leaves its partial result.
 */
export interface AccuracyResult {
  /** Model name (from the file). */
  readonly model: string;
  readonly file: string;
  /** Test accuracy in [0, 1] of the last evaluation (the final one when `complete`); null when nothing was evaluated. */
  readonly accuracy: number | null;
  /** Test samples evaluated. */
  readonly samples: number;
  /** Wall-clock seconds of the training run so far, evaluations included (resumed sessions added up). */
  readonly seconds: number;
  /** tf.js backend used. */
  readonly backend: string;
  /** Epochs completed (a partial epoch counts as not completed) and steps taken. */
  readonly epochs: number;
  readonly steps: number;
  /** Epochs the run was set to (the file's or `--epochs`). */
  readonly plannedEpochs: number;
  /** `--max-steps` when given (the run is then shorter than the file's settings), else null. */
  readonly maxSteps: number | null;
  /** `--eval-batches` when given (only part of the test split evaluated), else null. */
  readonly evalBatches: number | null;
  readonly timesteps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly dataset: string;
  /** Training samples/s of the last session (evaluation and checkpoint time excluded). */
  readonly samplesPerSec: number;
  /** True once the run reached its last step and was evaluated. */
  readonly complete: boolean;
  /** Every evaluation of the run, in order (from metrics.jsonl). */
  readonly history: readonly AccuracyEpoch[];
  readonly date: string;
  readonly outDir: string;
}

/** The spec with T replaced (static inputs: `timesteps`; event inputs: also the dataset's `frames`). */
export function withTimesteps(spec: ModelSpec, t: number): ModelSpec {
  const events = spec.input.encoding === 'events';
  const training = spec.training && events ? { ...spec.training, dataset: { ...spec.training.dataset, options: { ...spec.training.dataset.options, frames: t } } } : spec.training;
  return { ...spec, timesteps: t, ...(training ? { training } : {}) };
}

/** The evaluations recorded in a run's metrics.jsonl, in order. */
function history(outDir: string): AccuracyEpoch[] {
  return new MetricsLog(join(outDir, 'metrics.jsonl'))
    .read()
    .filter((r) => r.type === 'eval')
    .map((r) => ({ epoch: r.epoch, step: r.step, accuracy: r.accuracy, loss: r.loss, samples: r.samples ?? 0, elapsed: r.elapsed }));
}

/**
 * Trains a model file to completion with its own settings (`@deepspike/train`'s trainer: epochs,
 * optimiser, schedule, seed, checkpoints, metrics.jsonl, report.html in the run folder) and records the
 * final test accuracy, the wall-clock time, the training samples/s and the backend in
 * `<run>/accuracy.json`, rewritten after each epoch's evaluation. Runs on the current tf.js backend; the
 * first-party plugins (with the `mnist-saccade` dataset) are installed first. `resume` continues a killed run.
 */
export async function runAccuracy(options: AccuracyOptions): Promise<AccuracyResult> {
  await installPaperPlugins();
  const file = resolveModelFile(options.model);
  let spec = await validateModelFile(file, { plugins: false });
  if (options.timesteps !== undefined) spec = withTimesteps(spec, options.timesteps);
  const s = spec;
  const seed = options.seed ?? s.training?.seed ?? 0;
  const record = (e: { outDir: string; epoch: number; steps: number; accuracy: number | null; samples: number; seconds: number; samplesPerSec: number; complete: boolean }): AccuracyResult => ({
    model: s.name,
    file,
    accuracy: e.accuracy,
    samples: e.samples,
    seconds: e.seconds,
    backend: tf.getBackend(),
    epochs: e.epoch,
    steps: e.steps,
    plannedEpochs: options.epochs ?? s.training?.epochs ?? 1,
    maxSteps: options.maxSteps ?? null,
    evalBatches: options.evalBatches ?? null,
    timesteps: s.timesteps,
    batchSize: options.batchSize ?? s.training?.batchSize ?? 64,
    seed,
    dataset: s.training?.dataset.name ?? '',
    samplesPerSec: e.samplesPerSec,
    complete: e.complete,
    history: history(e.outDir),
    date: new Date().toISOString(),
    outDir: e.outDir,
  });
  const write = (r: AccuracyResult): Promise<void> => writeFileDurably(join(r.outDir, 'accuracy.json'), JSON.stringify(r, null, 2) + '\n');
  let last: AccuracyResult | null = null;
  const onEvaluation = async (e: EvaluationEvent): Promise<void> => {
    last = record({ outDir: e.outDir, epoch: e.epoch, steps: e.step, accuracy: e.result.accuracy, samples: e.result.samples, seconds: e.elapsed, samplesPerSec: e.samplesPerSec, complete: e.final });
    await write(last);
  };
  const result = await keepAlive(() => train({
    spec: s,
    specFile: file,
    buildModel: (t) => buildModel(t, { seed: t.training?.seed }),
    epochs: options.epochs,
    maxSteps: options.maxSteps,
    batchSize: options.batchSize,
    seed: options.seed,
    out: options.out,
    resume: options.resume,
    checkpointEverySteps: options.checkpointEverySteps,
    maxEvalBatches: options.evalBatches,
    progress: options.progress ?? 'log',
    log: options.log ?? (() => {}),
    onEvaluation,
  }));
  result.model.dispose();
  const done = last as AccuracyResult | null;
  const final = record({
    outDir: result.outDir,
    epoch: result.epochs,
    steps: result.steps,
    accuracy: result.test ? result.test.accuracy : null,
    samples: result.test?.samples ?? 0,
    seconds: done?.seconds ?? result.seconds,
    samplesPerSec: result.samplesPerSec,
    complete: true,
  });
  await write(final);
  return final;
}
