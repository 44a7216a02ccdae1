import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { DeepSpikeError, installPlugin, registry, type Layer } from '@deepspike/core';
import { createLoader, type Batch, type DataLoader, type Dataset } from '@deepspike/datasets';
import { messages } from '../messages.js';
import { deepspikePlugin } from '../plugin.js';
import { clipByGlobalNorm } from '../optimizers/clip.js';
import { countCorrect } from '../losses/loss.js';
import { CHECKPOINT_DIR, findCheckpoint, loadCheckpoint, disposeCheckpoint, readCheckpointState, removeStaleTemps, saveCheckpoint } from '../checkpoint/checkpoint.js';
import { diffSpecs, hashSpec } from '../checkpoint/spec-diff.js';
import { writeReport } from '../report/report.js';
import { resolveConfig, scheduleOptions } from './config.js';
import { findNonFinite } from './diagnose.js';
import { evaluateModel, type EvaluationResult } from './evaluate.js';
import { MetricsLog } from './metrics.js';
import { layerCounters, neuronLayers, readFiringRates, recordRaster, restoreLayerCounters } from './monitor.js';
import { Progress, type ProgressMode } from './progress.js';
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

/** Training stopped on a NaN/Inf loss or gradient. */
export class NonFiniteLossError extends DeepSpikeError {
  constructor(
    message: string,
    readonly step: number,
    readonly culprit: string,
    readonly checkpoint: string | null,
  ) {
    super(message);
  }
}

const timestamp = (): string => new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');

/** The newest run directory of `runsDir` holding a checkpoint. */
function newestRun(runsDir: string): string | null {
  if (!existsSync(runsDir)) return null;
  const runs = readdirSync(runsDir).filter((d) => existsSync(join(runsDir, d, CHECKPOINT_DIR))).sort();
  return runs.length > 0 ? join(runsDir, runs[runs.length - 1] as string) : null;
}

/** The run directory a checkpoint path belongs to. */
function runDirOf(path: string): string {
  const p = resolve(path);
  if (existsSync(join(p, 'state.json'))) return dirname(dirname(p));
  if (basename(p) === CHECKPOINT_DIR) return dirname(p);
  return p;
}

/** Formats seconds as `1h 02m 03s` / `4m 05s` / `6.1s`. */
export function formatDuration(seconds: number): string {
  // Round once, before splitting: rounding the seconds part alone printed 779.6 s as "12m 60s".
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s` : `${m}m ${String(s).padStart(2, '0')}s`;
}

/**
 * Trains a model from its spec: epochs over the training split (seeded order and augmentation),
 * evaluation on the test split, metrics.jsonl, crash-safe checkpoints, progress and report.html.
 * The same seed and backend give the same weights; resuming continues exactly.
 * @throws NonFiniteLossError naming the step, the layer and the last good checkpoint on NaN/Inf
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => console.log(line));
  installPlugin(deepspikePlugin);
  const { spec } = options;
  const specHash = hashSpec(spec);

  // Where the run lives, and the checkpoint to continue from.
  const modelDir = options.specFile ? dirname(resolve(options.specFile)) : process.cwd();
  let outDir: string;
  let resumeFrom: string | null = null;
  if (options.resume) {
    const base = typeof options.resume === 'string' ? options.resume : (options.out ?? newestRun(join(modelDir, 'runs')) ?? join(modelDir, 'runs'));
    resumeFrom = await findCheckpoint(base);
    if (!resumeFrom) throw new DeepSpikeError(messages.noCheckpoint(resolve(base)));
    outDir = options.out ? resolve(options.out) : runDirOf(resumeFrom);
  } else {
    outDir = resolve(options.out ?? join(modelDir, 'runs', timestamp()));
  }
  const ckptDir = join(outDir, CHECKPOINT_DIR);
  mkdirSync(outDir, { recursive: true });
  await removeStaleTemps(ckptDir);
  if (!resumeFrom) {
    // A fresh run must not mix with an earlier run's checkpoints (a step-N directory that exists is
    // never rewritten) or its metrics.
    const earlier = await findCheckpoint(outDir);
    if (earlier) throw new DeepSpikeError(messages.outHoldsRun(outDir, earlier));
    rmSync(join(outDir, 'metrics.jsonl'), { force: true });
  }

  let savedState = resumeFrom ? await readCheckpointState(resumeFrom) : null;
  if (savedState && savedState.specHash !== specHash) {
    const diffs = diffSpecs(savedState.spec, spec);
    throw new DeepSpikeError(messages.specMismatch(resumeFrom as string, diffs.length > 0 ? diffs : [`hash ${savedState.specHash} vs ${specHash}`]));
  }
  const config = resolveConfig(spec, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: savedState?.seed ?? options.seed,
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

  const loader = createLoader(dataset, { split: 'train', batchSize: config.batchSize, shuffle: true, seed: config.seed, augment: config.augment });
  const bpe = loader.batchesPerEpoch;
  const plannedSteps = config.epochs * bpe;
  const totalSteps = Math.min(plannedSteps, options.maxSteps ?? Infinity);
  const loss = registry.get('loss', config.loss.name).create(config.loss.options);
  const optimizer = registry.get('optimizer', config.optimizer.name).create(config.optimizer.options);
  const schedule = registry.get('schedule', config.schedule.name).create(scheduleOptions(config, bpe, plannedSteps));
  const neurons = neuronLayers(model);
  for (const n of neurons.values()) n.recordRates = true;
  const metrics = new MetricsLog(join(outDir, 'metrics.jsonl'));
  const backend = tf.getBackend();

  let step = 0;
  let elapsedBefore = 0;
  let lastCheckpoint: string | null = null;
  if (resumeFrom && savedState) {
    const loaded = await loadCheckpoint(resumeFrom, model.namedParameters());
    optimizer.loadState({ iterations: savedState.optimizer.iterations, tensors: loaded.optimizer });
    disposeCheckpoint(loaded);
    loader.restore(savedState.loader);
    step = savedState.step;
    elapsedBefore = Number(savedState.extra.elapsed ?? 0);
    restoreLayerCounters(model, (savedState.extra.layerCounters ?? {}) as Record<string, number>);
    lastCheckpoint = resumeFrom;
    metrics.truncateAfter(step);
    for (const d of readdirSync(ckptDir)) {
      const m = /^step-(\d+)$/.exec(d);
      if (m && Number(m[1]) > step) await fs.rm(join(ckptDir, d), { recursive: true, force: true });
    }
    log(`train: resumed ${spec.name} from ${resumeFrom} (step ${step}, epoch ${savedState.epoch})`);
    savedState = null;
  }

  const elapsed = (): number => elapsedBefore + (performance.now() - started) / 1000;
  // Time outside training steps (evaluations, checkpoints), so the reported samples/s is the training rate.
  let sideSeconds = 0;
  let sessionSamples = 0;
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      sideSeconds += (performance.now() - t0) / 1000;
    }
  };
  const samplesPerSec = (): number => {
    const secs = (performance.now() - loopStart) / 1000 - sideSeconds;
    return sessionSamples > 0 && secs > 0 ? sessionSamples / secs : 0;
  };
  const checkpoint = (): Promise<void> => timed(async () => {
    const st = loader.state();
    lastCheckpoint = await saveCheckpoint(
      ckptDir,
      {
        weights: model.namedParameters(),
        optimizer: optimizer.state().tensors,
        state: {
          step,
          epoch: st.epoch,
          loader: st,
          optimizer: { name: optimizer.name, iterations: optimizer.iterations },
          schedule: { name: schedule.name, position: step },
          seed: config.seed,
          specHash,
          spec,
          backend,
          extra: { elapsed: elapsed(), layerCounters: layerCounters(model) },
        },
      },
      options.keepCheckpoints ?? 2,
    );
  });
  const evaluate = (): Promise<EvaluationResult> => timed(async () => {
    const r = await evaluateModel(model, dataset, loss, { batchSize: config.batchSize, maxBatches: options.maxEvalBatches });
    const epoch = loader.state().epoch;
    metrics.append({ type: 'eval', step, epoch, loss: r.loss, accuracy: r.accuracy, samples: r.samples, firingRates: r.firingRates, elapsed: elapsed() });
    await options.onEvaluation?.({ epoch, step, final: step >= totalSteps, result: r, elapsed: elapsed(), samplesPerSec: samplesPerSec(), outDir });
    return r;
  });

  log(
    `train: ${spec.name} on ${dataset.name} (${dataset.size('train')} train / ${dataset.size('test')} test samples), backend ${backend}, ` +
      `${config.epochs} epoch(s) × ${bpe} steps of ${config.batchSize}, ${optimizer.name} lr ${config.optimizer.lr}, loss ${loss.name}, seed ${config.seed}; ` +
      `checkpoint every ${config.checkpointEveryEpochs} epoch(s)${ckptSteps ? ` and every ${ckptSteps} steps` : ''} and at the end; out ${outDir}`,
  );
  const progress = new Progress(options.progress ?? 'auto', totalSteps, log);
  const logEvery = options.logEvery ?? 50;
  let window = { loss: 0, correct: 0, samples: 0, t0: performance.now() };
  let shown = { loss: NaN, accuracy: 0, samplesPerSec: 0 };
  let test: EvaluationResult | null = null;
  progress.start(step, { epoch: loader.state().epoch, epochs: config.epochs, step, ...shown, loss: NaN });
  const loopStart = performance.now();
  try {
    while (step < totalSteps) {
      const epoch = loader.state().epoch;
      for await (const batch of loader) {
        await trainStep(batch, epoch);
        if (step >= totalSteps) break;
      }
      const st = loader.state();
      const epochDone = st.position === 0 && st.epoch > epoch;
      if (epochDone || step >= totalSteps) {
        if (options.evaluate ?? true) {
          test = await evaluate();
          progress.note(`epoch ${epoch + 1}: test accuracy ${(test.accuracy * 100).toFixed(2)}% loss ${test.loss.toFixed(4)} (step ${step}, ${formatDuration(elapsed())})`);
        }
        // training.checkpointEvery is in epochs (st.epoch = epochs completed); the end of the run always saves.
        if (step >= totalSteps || (epochDone && st.epoch % config.checkpointEveryEpochs === 0)) await checkpoint();
      }
    }
    // A resumed run that was already complete still reports its test accuracy.
    if (test === null && (options.evaluate ?? true)) test = await evaluate();
    if (lastCheckpoint === null || !lastCheckpoint.endsWith(String(step).padStart(8, '0'))) await checkpoint();
  } finally {
    progress.stop();
  }

  async function trainStep(batch: Batch, epoch: number): Promise<void> {
    const { x, y } = batch;
    const lr = schedule.lr(step);
    let out: Tensor | null = null;
    const { value, grads } = tf.variableGrads(() => {
      model!.resetState();
      const o = model!.forward(x);
      out = tf.keep(o);
      return loss.compute(o, y);
    }, varList as Variable[]);
    const named = new Map<string, Tensor>();
    for (const [vn, g] of Object.entries(grads)) named.set(varNames.get(vn) ?? vn, g);
    const check = tf.tidy(() => {
      let s: Tensor = tf.scalar(0);
      for (const g of named.values()) s = tf.add(s, tf.sum(tf.square(g)));
      return tf.stack([value, s]);
    });
    const [lossValue, gradSq] = check.dataSync() as unknown as [number, number];
    check.dispose();
    if (!Number.isFinite(lossValue) || !Number.isFinite(gradSq)) {
      const culprit = findNonFinite(model!, x, named);
      tf.dispose([value, out!, x, y, ...named.values()]);
      throw new NonFiniteLossError(messages.nonFinite(step + 1, lossValue, culprit, lastCheckpoint), step + 1, culprit, lastCheckpoint);
    }
    let use = named;
    if (config.clipGradNorm !== undefined) use = clipByGlobalNorm(named, config.clipGradNorm).grads;
    optimizer.step(params, use, lr);
    const n = y.shape[0] as number;
    window.correct += countCorrect(out!, y);
    window.loss += lossValue * n;
    window.samples += n;
    sessionSamples += n;
    tf.dispose([value, out!, x, y, ...named.values(), ...(use === named ? [] : use.values())]);
    step++;
    const logNow = step % logEvery === 0 || step === totalSteps;
    if (logNow) {
      const secs = (performance.now() - window.t0) / 1000;
      shown = { loss: window.loss / window.samples, accuracy: window.correct / window.samples, samplesPerSec: window.samples / Math.max(secs, 1e-9) };
      metrics.append({ type: 'train', step, epoch, ...shown, lr, firingRates: readFiringRates(neurons), elapsed: elapsed() });
      window = { loss: 0, correct: 0, samples: 0, t0: performance.now() };
    }
    progress.update({ epoch, epochs: config.epochs, step, ...shown }, logNow);
    if (ckptSteps !== undefined && step % ckptSteps === 0 && step < totalSteps) await checkpoint();
  }

  const trainRate = samplesPerSec(); // before the report, which is not training time
  let reportPath: string | null = null;
  if (options.report ?? true) {
    let raster = {};
    const testLoader = createLoader(dataset, { split: 'test', batchSize: 1 });
    for await (const b of testLoader) {
      model.setTraining(false);
      raster = recordRaster(model, b.x);
      model.setTraining(true);
      tf.dispose([b.x, b.y]);
      break;
    }
    reportPath = await writeReport(outDir, { title: `${spec.name} — DeepSpike training report`, metrics: metrics.read(), raster, spec });
  }
  for (const n of neurons.values()) n.recordRates = false;
  optimizer.dispose();
  const seconds = (performance.now() - started) / 1000;
  if (test) log(`train: test accuracy ${(test.accuracy * 100).toFixed(2)}% (${test.samples} samples, loss ${test.loss.toFixed(4)}) after ${step} steps`);
  if (reportPath) log(`train: report ${reportPath}`);
  log(`train: took ${formatDuration(seconds)} (checkpoint ${lastCheckpoint})`);
  return {
    outDir,
    checkpoint: lastCheckpoint as unknown as string,
    steps: step,
    epochs: loader.state().epoch,
    test,
    seconds,
    reportPath,
    metricsPath: metrics.path,
    samplesPerSec: trainRate,
    model,
  };
}

/** Opens a dataset from the registry, loading `@deepspike/datasets` when nothing provides it yet. */
export async function openDataset(name: string, options: Readonly<Record<string, unknown>>): Promise<Dataset> {
  if (!registry.has('dataset', name)) {
    const mod = (await import('@deepspike/datasets')) as { deepspikePlugin?: Parameters<typeof installPlugin>[0] };
    if (mod.deepspikePlugin) installPlugin(mod.deepspikePlugin);
  }
  if (!registry.has('dataset', name)) throw new DeepSpikeError(messages.datasetMissing(name));
  return registry.get('dataset', name).open(options);
}

export type { DataLoader };
