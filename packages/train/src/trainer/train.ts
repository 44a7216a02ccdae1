import { loadInstalledPlugins, setDeterministicReduction, type Layer } from '@deepspike/core';
import type { Dataset } from '@deepspike/datasets';
import { readCheckpointState } from '../checkpoint/checkpoint.js';
import { hashSpec } from '../checkpoint/spec-diff.js';
import type { EvaluationResult } from './evaluate.js';
import { DataParallel, type DistributedOptions } from './data-parallel.js';
import { resolveDeterministic, type DeterministicOption } from './deterministic.js';
import { finishRun } from './finish.js';
import { runLoop } from './loop.js';
import type { ProgressMode } from './progress.js';
import { resumeSession } from './resume.js';
import { prepareRunFolder, type RunFolder } from './run-folder.js';
import { openSession, readResumeState } from './session.js';
import type { TrainableSpec } from './spec.js';

/** Options of {@link train}. */
export interface TrainOptions {
  /** The model spec (validated `ModelSpec`). */
  readonly spec: TrainableSpec;
  /** The model file it came from (the default output goes to `<its folder>/runs/<timestamp>`). */
  readonly specFile?: string;
  /** Builds the network from the spec (with `training.seed` set to the run's seed); e.g. codegen's `buildModel`. */
  readonly buildModel?: (spec: TrainableSpec) => Layer;
  /** An already built network (instead of `buildModel`). */
  readonly model?: Layer;
  /** An already opened dataset (instead of opening `training.dataset` from the registry). */
  readonly dataset?: Dataset;
  /** Epochs (default: the spec's `training.epochs`, else 1). */
  readonly epochs?: number;
  /** Stop after this many optimiser steps in total (checkpointed like an epoch end). */
  readonly maxSteps?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  /** Gradient clipping by global norm (default: `training.clipGradNorm`, else off). */
  readonly clipGradNorm?: number;
  /** Output directory (default `<model folder>/runs/<timestamp>`, or `./runs/<timestamp>`). */
  readonly out?: string;
  /** Continue from a checkpoint: `true` = the `out` run (or the newest run of the model); a path = that run/checkpoint. */
  readonly resume?: boolean | string;
  /**
   * Checkpoint at the end of every this many epochs. Precedence: this option (CLI
   * `--checkpoint-every-epochs`) > the model file's `training.checkpointEvery` (epochs, as the schema
   * says) > 1. The end of the run (last epoch, or `maxSteps`) always saves.
   */
  readonly checkpointEveryEpochs?: number;
  /**
   * Also checkpoint every this many optimiser steps inside epochs (CLI `--checkpoint-every-steps`),
   * for long epochs where a crash should lose less than an epoch. Default: off (only the epoch rule).
   */
  readonly checkpointEverySteps?: number;
  /** Checkpoints kept (default 2). */
  readonly keepCheckpoints?: number;
  /** Log metrics every this many steps (default 50). */
  readonly logEvery?: number;
  /** Evaluate on the test split at each epoch end and at the end (default true). */
  readonly evaluate?: boolean;
  /** Test batches evaluated (default all). */
  readonly maxEvalBatches?: number;
  /** Progress display (default `auto`: a bar on a TTY, log lines otherwise). */
  readonly progress?: ProgressMode;
  /** Where log lines go (default `console.log`). */
  readonly log?: (line: string) => void;
  /** Write report.html at the end (default true). */
  readonly report?: boolean;
  /**
   * Called after each evaluation on the test split (each epoch end and the end of the run), after
   * its `eval` record is in metrics.jsonl and before the checkpoint of that point is written.
   */
  readonly onEvaluation?: (e: EvaluationEvent) => void | Promise<void>;
  /**
   * Data-parallel training over the ranks of an MPI job (every rank calls `train()` with the same
   * options): the model file's batch size is the global batch, each rank takes its shard of every
   * global batch (`shardRange` of @deepspike/datasets), gradients are summed in one fused all-reduce
   * per step, batch statistics are synchronised (SyncBatchNorm) unless `syncBatchStats: false`, and
   * only rank 0 evaluates and writes checkpoints, metrics.jsonl and report.html. Default: one process.
   */
  readonly distributed?: DistributedOptions;
  /**
   * Deterministic reductions (CLI `--deterministic`): the weight and bias gradients of linear and
   * convolution layers are summed over blocks of `granule` samples (default 8) in a fixed tree, so a
   * run gives the same bits whatever the backend's blocking, and N data-parallel ranks with
   * synchronised statistics give the bits of one process on the global batch (exactly for 2 ranks;
   * for more, up to the order of MPI's all-reduce). Costs a few per cent of step time. Default off.
   */
  readonly deterministic?: DeterministicOption;
  /** Called after every optimiser step (benchmarks): the step's wall time and, data-parallel, this rank's gradient all-reduce totals so far. */
  readonly onStep?: (e: StepEvent) => void;
}

/** What {@link TrainOptions.onStep} receives. */
export interface StepEvent {
  readonly step: number;
  /** Wall-clock seconds of the step (forward, backward, all-reduce, update). */
  readonly seconds: number;
  /** Cumulative gradient all-reduce calls, bytes and seconds of this rank (null on one process). */
  readonly gradAllreduce: { readonly calls: number; readonly bytes: number; readonly seconds: number; readonly waitSeconds: number } | null;
}

/** What {@link TrainOptions.onEvaluation} receives. */
export interface EvaluationEvent {
  /** Epochs completed (the loader's epoch). */
  readonly epoch: number;
  readonly step: number;
  /** True for the last evaluation of the run (its last step reached). */
  readonly final: boolean;
  readonly result: EvaluationResult;
  /** Wall-clock seconds of the run so far (resumed sessions included). */
  readonly elapsed: number;
  /** Training throughput of this session so far, evaluation and checkpoint time excluded. */
  readonly samplesPerSec: number;
  /** The run's output directory. */
  readonly outDir: string;
}

/** What {@link train} returns. */
export interface TrainResult {
  readonly outDir: string;
  readonly checkpoint: string;
  readonly steps: number;
  readonly epochs: number;
  readonly test: EvaluationResult | null;
  /** Wall-clock seconds of this session. */
  readonly seconds: number;
  readonly reportPath: string | null;
  readonly metricsPath: string;
  /** Training samples/s of this session (the time in evaluations and checkpoints excluded); 0 when no step ran. */
  readonly samplesPerSec: number;
  /** The trained network (the caller disposes it). */
  readonly model: Layer;
}

export { NonFiniteLossError } from './non-finite-error.js';
export { formatDuration } from './format-duration.js';
export { DataParallel, weightChecksum, type DistributedOptions } from './data-parallel.js';

/**
 * Trains a model from its spec: epochs over the training split (seeded order and augmentation),
 * evaluation on the test split, metrics.jsonl, crash-safe checkpoints, progress and report.html.
 * The same seed and backend give the same weights; resuming continues exactly.
 * @throws NonFiniteLossError naming the step, the layer and the last good checkpoint on NaN/Inf
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const dp = options.distributed && options.distributed.comm.size > 1 ? new DataParallel(options.distributed.comm, options.distributed) : null;
  // Ranks other than 0 train silently: rank 0 speaks for the job.
  const log = dp && !dp.writes ? () => {} : (options.log ?? ((line: string) => console.log(line)));
  await loadInstalledPlugins();
  const specHash = hashSpec(options.spec);
  const folder = dp ? await sharedRunFolder(dp, options) : await prepareRunFolder(options);
  const savedState = await readResumeState(folder.resumeFrom, options.spec, specHash, readCheckpointState);
  const session = await openSession(options, { log, specHash, started, folder, savedSeed: savedState?.seed, dp });
  if (folder.resumeFrom && savedState) await resumeSession(session, folder.resumeFrom, savedState);
  // Every rank starts from rank 0's weights (as DDP does), fresh or resumed.
  dp?.broadcastParameters(session.model.namedParameters());
  const granule = resolveDeterministic(options.deterministic, session.config.batchSize, dp);
  dp?.open();
  setDeterministicReduction(granule);
  try {
    await runLoop(session);
  } finally {
    setDeterministicReduction(null);
    dp?.close();
  }
  return finishRun(session);
}

/** Rank 0 chooses and prepares the run folder; the others take its paths (a timestamped default differs per process). */
async function sharedRunFolder(dp: DataParallel, options: TrainOptions): Promise<RunFolder> {
  const mine = dp.writes ? await prepareRunFolder(options) : null;
  const outDir = dp.shareString(mine?.outDir ?? '');
  const ckptDir = dp.shareString(mine?.ckptDir ?? '');
  const resumeFrom = dp.shareString(mine?.resumeFrom ?? '');
  return { outDir, ckptDir, resumeFrom: resumeFrom === '' ? null : resumeFrom };
}
