import type { AugmentOptions } from '@deepspike/datasets';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import type { OptimizerOptions } from '../optimizers/optimizer.js';
import type { ScheduleOptions } from '../schedules/schedule.js';
import type { TrainableSpec } from './spec.js';

/** The training settings after reading the spec, applying the caller's overrides and defaults. */
export interface ResolvedConfig {
  readonly dataset: { readonly name: string; readonly options: Readonly<Record<string, unknown>> };
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly loss: { readonly name: string; readonly options: Readonly<Record<string, unknown>> };
  readonly optimizer: { readonly name: string; readonly options: OptimizerOptions; readonly lr: number };
  readonly schedule: { readonly name: string; readonly options: Readonly<Record<string, unknown>> };
  readonly augment: AugmentOptions | undefined;
  readonly clipGradNorm: number | undefined;
  /**
   * Save a checkpoint at the end of every this many epochs (the schema's `training.checkpointEvery`,
   * in epochs, default 1); the end of the run always saves.
   */
  readonly checkpointEveryEpochs: number;
}

/** Overrides of the spec's training section (CLI flags). */
export interface ConfigOverrides {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly clipGradNorm?: number;
  /** Overrides `training.checkpointEvery` (epochs; CLI `--checkpoint-every-epochs`). */
  readonly checkpointEveryEpochs?: number;
}

const positiveInt = (name: string, v: unknown): number => {
  check(Number.isInteger(v) && (v as number) > 0, () => messages.trainOption(name, v, 'an integer > 0'));
  return v as number;
};

/**
 * Reads `spec.training` (schemas/training.schema.json) with the schema's defaults: batch size 64,
 * SGD lr 0.1 momentum 0.9, constant schedule, loss `rate-ce`, seed 0, a checkpoint every epoch;
 * epochs default 1 here. An override wins over the file, the file over the default.
 */
export function resolveConfig(spec: TrainableSpec, overrides: ConfigOverrides = {}): ResolvedConfig {
  const t = spec.training;
  check(t !== undefined && typeof t.dataset?.name === 'string', () =>
    messages.trainOption(`${spec.name}: training.dataset.name`, t?.dataset?.name, 'a registered dataset name (add a "training" section to the model file)'),
  );
  const batchSize = positiveInt('batchSize', overrides.batchSize ?? t.batchSize ?? 64);
  const epochs = positiveInt('epochs', overrides.epochs ?? t.epochs ?? 1);
  const seed = overrides.seed ?? t.seed ?? 0;
  check(Number.isInteger(seed) && seed >= 0, () => messages.trainOption('seed', seed, 'an integer >= 0'));
  const opt = t.optimizer ?? { name: 'sgd', lr: 0.1, momentum: 0.9 };
  const lr = opt.lr ?? (opt.name === 'sgd' ? 0.1 : 0.001);
  const options: Record<string, unknown> = { ...(opt.options ?? {}) };
  if (opt.name === 'sgd') options.momentum = opt.momentum ?? (options.momentum as number | undefined) ?? 0.9;
  if (opt.weightDecay !== undefined) options.weightDecay = opt.weightDecay;
  const aug = t.augmentation;
  const augment: AugmentOptions | undefined = aug && Object.keys(aug).length > 0 ? { ...aug } : undefined;
  const clip = overrides.clipGradNorm;
  check(clip === undefined || (typeof clip === 'number' && clip > 0), () => messages.trainOption('clipGradNorm', clip, 'a number > 0'));
  const checkpointEveryEpochs = positiveInt('checkpointEvery', overrides.checkpointEveryEpochs ?? t.checkpointEvery ?? 1);
  return {
    dataset: { name: t.dataset.name, options: t.dataset.options ?? {} },
    batchSize,
    epochs,
    seed,
    loss: { name: t.loss ?? 'rate-ce', options: t.lossOptions ?? {} },
    optimizer: { name: opt.name, options: options as OptimizerOptions, lr },
    schedule: { name: t.schedule?.name ?? 'constant', options: t.schedule?.options ?? {} },
    augment,
    clipGradNorm: clip,
    checkpointEveryEpochs,
  };
}

/**
 * The schedule's options in steps. The model file states schedules in epochs (`every`,
 * `warmupEpochs`, as the schema describes); step counts (`stepSize`, `warmupSteps`, `totalSteps`)
 * are accepted too.
 */
export function scheduleOptions(config: ResolvedConfig, batchesPerEpoch: number, totalSteps: number): ScheduleOptions {
  const o = { ...config.schedule.options } as Record<string, unknown>;
  const every = o.every;
  const warmupEpochs = o.warmupEpochs;
  delete o.every;
  delete o.warmupEpochs;
  return {
    lr: config.optimizer.lr,
    totalSteps,
    ...(typeof every === 'number' ? { stepSize: Math.max(1, Math.round(every * batchesPerEpoch)) } : {}),
    ...(typeof warmupEpochs === 'number' ? { warmupSteps: Math.round(warmupEpochs * batchesPerEpoch) } : {}),
    ...o,
  };
}
