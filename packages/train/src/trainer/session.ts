import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Variable } from '@tensorflow/tfjs-core';
import { DeepSpikeError, registry, type Layer } from '@deepspike/core';
import { createLoader, openDataset, type DataLoader, type Dataset } from '@deepspike/datasets';
import { messages } from '../messages.js';
import { saveCheckpoint, type CheckpointState } from '../checkpoint/checkpoint.js';
import { diffSpecs } from '../checkpoint/spec-diff.js';
import type { Loss } from '../losses/loss.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Schedule } from '../schedules/schedule.js';
import type { DataParallel } from './data-parallel.js';
import { resolveConfig, scheduleOptions, type ResolvedConfig } from './config.js';
import { evaluateModel, type EvaluationResult } from './evaluate.js';
import { MetricsLog } from './metrics.js';
import { layerCounters, neuronLayers } from './monitor.js';
import type { Progress } from './progress.js';
import type { RunFolder } from './run-folder.js';
import type { TrainableSpec } from './spec.js';
import type { TrainOptions } from './train.js';

/** The running totals of the steps since the last logged one. */
export interface StepWindow {
  loss: number;
  correct: number;
  samples: number;
  t0: number;
}

/**
 * Everything one training session holds: the settings, the network and its optimiser, the data,
 * and the counters the loop, the step, checkpoints and the report share (mutable on purpose: the
 * steps of {@link train} hand it to each other).
 */
export interface TrainingSession {
  readonly options: TrainOptions;
  readonly log: (line: string) => void;
  readonly spec: TrainableSpec;
  readonly specHash: string;
  /** `performance.now()` at the start of `train()`. */
  readonly started: number;
  readonly folder: RunFolder;
  readonly config: ResolvedConfig;
  readonly ckptSteps: number | undefined;
  readonly dataset: Dataset;
  readonly model: Layer;
  readonly params: Map<string, Variable>;
  readonly varNames: Map<string, string>;
  readonly varList: Variable[];
  readonly loader: DataLoader;
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly schedule: Schedule;
  readonly neurons: ReturnType<typeof neuronLayers>;
  readonly metrics: MetricsLog;
  readonly backend: string;
  /** Data-parallel training (null: one process). */
  readonly dp: DataParallel | null;
  /** The trainable parameters' names in a fixed order (the fused gradient buffer's layout). */
  readonly gradOrder: readonly string[];
  /** The non-trainable parameters (norms' running statistics). */
  readonly buffers: Map<string, Variable>;
  step: number;
  elapsedBefore: number;
  lastCheckpoint: string | null;
  /** Seconds outside training steps (evaluations, checkpoints), so the reported samples/s is the training rate. */
  sideSeconds: number;
  sessionSamples: number;
  loopStart: number;
  progress: Progress | null;
  window: StepWindow;
  shown: { loss: number; accuracy: number; samplesPerSec: number };
  test: EvaluationResult | null;
}

/** The checkpoint state to continue from, refusing one written for a different spec. */
export async function readResumeState(resumeFrom: string | null, spec: TrainableSpec, specHash: string, read: (dir: string) => Promise<CheckpointState>): Promise<CheckpointState | null> {
  const savedState = resumeFrom ? await read(resumeFrom) : null;
  if (savedState && savedState.specHash !== specHash) {
    const diffs = diffSpecs(savedState.spec, spec);
    throw new DeepSpikeError(messages.specMismatch(resumeFrom as string, diffs.length > 0 ? diffs : [`hash ${savedState.specHash} vs ${specHash}`]));
  }
  return savedState;
}

/** Resolves the settings, opens the dataset, builds the network and creates loader, loss, optimiser and schedule. */
export async function openSession(
  options: TrainOptions,
  base: { log: (line: string) => void; specHash: string; started: number; folder: RunFolder; savedSeed: number | undefined; dp?: DataParallel | null },
): Promise<TrainingSession> {
  const { spec } = options;
  const config = resolveConfig(spec, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: base.savedSeed ?? options.seed,
    clipGradNorm: options.clipGradNorm,
    checkpointEveryEpochs: options.checkpointEveryEpochs,
  });
  const ckptSteps = options.checkpointEverySteps;
  if (ckptSteps !== undefined && !(Number.isInteger(ckptSteps) && ckptSteps > 0)) {
    throw new DeepSpikeError(messages.trainOption('checkpointEverySteps', ckptSteps, 'an integer > 0 (leave it out for epoch checkpoints only)'));
  }
  const dataset = options.dataset ?? (await openDataset(config.dataset.name, config.dataset.options));
  const seededSpec = { ...spec, training: { ...spec.training!, seed: config.seed } };
  const model = options.model ?? options.buildModel?.(seededSpec);
  if (!model) throw new DeepSpikeError(messages.trainOption('buildModel', undefined, 'a model builder (codegen buildModel) or a model'));
  model.setTraining(true);
  const params = model.trainableParameters();
  const varNames = new Map<string, string>();
  for (const [name, v] of params) varNames.set(v.name, name);
  const varList = [...params.values()];

  const dp = base.dp ?? null;
  // Sharded, each rank decodes only its part of every global batch (same order and augmentation as one process).
  const shard = dp ? { rank: dp.rank, size: dp.size } : undefined;
  const loader = createLoader(dataset, { split: 'train', batchSize: config.batchSize, shuffle: true, seed: config.seed, augment: config.augment, shard });
  const bpe = loader.batchesPerEpoch;
  const plannedSteps = config.epochs * bpe;
  const totalSteps = Math.min(plannedSteps, options.maxSteps ?? Infinity);
  const loss = registry.get('loss', config.loss.name).create(config.loss.options);
  const optimizer = registry.get('optimizer', config.optimizer.name).create(config.optimizer.options);
  const schedule = registry.get('schedule', config.schedule.name).create(scheduleOptions(config, bpe, plannedSteps));
  const neurons = neuronLayers(model);
  for (const n of neurons.values()) n.recordRates = true;
  return {
    options,
    log: base.log,
    spec,
    specHash: base.specHash,
    started: base.started,
    folder: base.folder,
    config,
    ckptSteps,
    dataset,
    model,
    params,
    varNames,
    varList,
    loader,
    batchesPerEpoch: bpe,
    totalSteps,
    loss,
    optimizer,
    schedule,
    neurons,
    metrics: new MetricsLog(join(base.folder.outDir, 'metrics.jsonl'), dp === null || dp.writes),
    backend: tf.getBackend(),
    dp,
    gradOrder: [...params.keys()].sort(),
    buffers: new Map([...model.namedParameters()].filter(([, v]) => !v.trainable)),
    step: 0,
    elapsedBefore: 0,
    lastCheckpoint: null,
    sideSeconds: 0,
    sessionSamples: 0,
    loopStart: 0,
    progress: null,
    window: { loss: 0, correct: 0, samples: 0, t0: performance.now() },
    shown: { loss: NaN, accuracy: 0, samplesPerSec: 0 },
    test: null,
  };
}

/** Wall-clock seconds of the run so far (resumed sessions included). */
export const elapsed = (s: TrainingSession): number => s.elapsedBefore + (performance.now() - s.started) / 1000;

/** Training samples/s of this session so far, evaluation and checkpoint time excluded. */
export const samplesPerSec = (s: TrainingSession): number => {
  const secs = (performance.now() - s.loopStart) / 1000 - s.sideSeconds;
  return s.sessionSamples > 0 && secs > 0 ? s.sessionSamples / secs : 0;
};

/** Runs `fn`, counting its time as outside training. */
async function timed<T>(s: TrainingSession, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    s.sideSeconds += (performance.now() - t0) / 1000;
  }
}

/** Saves a checkpoint of the session's current step (weights, optimiser, loader, counters). */
export const checkpoint = (s: TrainingSession): Promise<void> => timed(s, async () => {
  const st = s.loader.state();
  if (s.dp && !s.dp.writes) {
    // Rank 0 writes; the others name the checkpoint it is writing.
    s.lastCheckpoint = join(s.folder.ckptDir, `step-${String(s.step).padStart(8, '0')}`);
    return;
  }
  s.lastCheckpoint = await saveCheckpoint(
    s.folder.ckptDir,
    {
      weights: s.model.namedParameters(),
      optimizer: s.optimizer.state().tensors,
      state: {
        step: s.step,
        epoch: st.epoch,
        loader: st,
        optimizer: { name: s.optimizer.name, iterations: s.optimizer.iterations },
        schedule: { name: s.schedule.name, position: s.step },
        seed: s.config.seed,
        specHash: s.specHash,
        spec: s.spec,
        backend: s.backend,
        extra: { elapsed: elapsed(s), layerCounters: layerCounters(s.model) },
      },
    },
    s.options.keepCheckpoints ?? 2,
  );
});

/** Evaluates on the test split, appends the `eval` record and tells `onEvaluation`. */
export const evaluate = (s: TrainingSession): Promise<EvaluationResult> => timed(s, async () => {
  const r = await evaluateModel(s.model, s.dataset, s.loss, { batchSize: s.config.batchSize, maxBatches: s.options.maxEvalBatches });
  const epoch = s.loader.state().epoch;
  const { step } = s;
  s.metrics.append({ type: 'eval', step, epoch, loss: r.loss, accuracy: r.accuracy, samples: r.samples, firingRates: r.firingRates, elapsed: elapsed(s) });
  await s.options.onEvaluation?.({ epoch, step, final: step >= s.totalSteps, result: r, elapsed: elapsed(s), samplesPerSec: samplesPerSec(s), outDir: s.folder.outDir });
  return r;
});
