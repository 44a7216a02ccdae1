import type { ResolvedConfig } from './config.js';
import type { TrainableSpec } from './spec.js';

/**
 * Where a setting of a run came from: a `train()` option (a CLI flag, for `deepspike train`), the
 * model file, the default, or the checkpoint a resumed run continues (its seed).
 */
export type SettingSource = 'option' | 'file' | 'default' | 'checkpoint';

/** One effective setting of a training run, for the report. */
export interface RunSetting {
  /** The `training` key of the model file, e.g. `epochs`; `maxSteps` and `checkpointEverySteps` have none. */
  readonly name: string;
  /** The CLI flag that sets it, e.g. `--epochs`. */
  readonly flag: string;
  /** The value the run used (`null`: off). */
  readonly value: number | null;
  readonly source: SettingSource;
  /** The model file's value when an option or the checkpoint overrode it. */
  readonly fileValue?: number;
}

/** What the report shows of the settings: each effective setting, and the spec with them applied. */
export interface RunSettings {
  readonly settings: readonly RunSetting[];
  /** The spec with the effective `training` values written in (so `--epochs 1` shows `epochs: 1`). */
  readonly effectiveSpec: TrainableSpec;
}

interface SettingInput {
  readonly name: string;
  readonly flag: string;
  readonly option: number | undefined;
  readonly file: number | undefined;
  readonly fallback: number | null;
  readonly value: number | null;
}

function setting(i: SettingInput): RunSetting {
  const expected = i.option ?? i.file ?? i.fallback;
  const source: SettingSource = expected !== i.value ? 'checkpoint' : i.option !== undefined ? 'option' : i.file !== undefined ? 'file' : 'default';
  const overridden = (source === 'option' || source === 'checkpoint') && i.file !== undefined && i.file !== i.value;
  return { name: i.name, flag: i.flag, value: i.value, source, ...(overridden ? { fileValue: i.file } : {}) };
}

/**
 * The run's effective training settings and where each came from (option > file > default; the
 * seed of a resumed run is the checkpoint's).
 * @param options the `train()` options the settings can come from
 * @param config what `resolveConfig` made of them
 */
export function runSettings(
  spec: TrainableSpec,
  options: { readonly epochs?: number; readonly batchSize?: number; readonly seed?: number; readonly clipGradNorm?: number; readonly checkpointEveryEpochs?: number; readonly maxSteps?: number; readonly checkpointEverySteps?: number },
  config: ResolvedConfig,
): RunSettings {
  const t = spec.training;
  const settings = [
    setting({ name: 'epochs', flag: '--epochs', option: options.epochs, file: t?.epochs, fallback: 1, value: config.epochs }),
    setting({ name: 'batchSize', flag: '--batch-size', option: options.batchSize, file: t?.batchSize, fallback: 64, value: config.batchSize }),
    setting({ name: 'seed', flag: '--seed', option: options.seed, file: t?.seed, fallback: 0, value: config.seed }),
    setting({ name: 'checkpointEvery', flag: '--checkpoint-every-epochs', option: options.checkpointEveryEpochs, file: t?.checkpointEvery, fallback: 1, value: config.checkpointEveryEpochs }),
    setting({ name: 'clipGradNorm', flag: '--clip-grad-norm', option: options.clipGradNorm, file: undefined, fallback: null, value: config.clipGradNorm ?? null }),
    setting({ name: 'maxSteps', flag: '--max-steps', option: options.maxSteps, file: undefined, fallback: null, value: options.maxSteps ?? null }),
    setting({ name: 'checkpointEverySteps', flag: '--checkpoint-every-steps', option: options.checkpointEverySteps, file: undefined, fallback: null, value: options.checkpointEverySteps ?? null }),
  ];
  const training = { ...t!, epochs: config.epochs, batchSize: config.batchSize, seed: config.seed, checkpointEvery: config.checkpointEveryEpochs };
  return { settings, effectiveSpec: { ...spec, training } };
}
