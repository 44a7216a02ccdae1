/**
 * Adds the registry kinds `loss`, `optimizer` and `schedule` to `@deepspike/core`'s
 * `RegistryKinds` by declaration merging, so `registry.get('loss', 'rate-ce').create()` type-checks
 * as a {@link Loss}.
 */
import type { EntryBase } from '@deepspike/core';
import type { Loss, LossOptions } from './losses/loss.js';
import type { Optimizer, OptimizerOptions } from './optimizers/optimizer.js';
import type { Schedule, ScheduleOptions } from './schedules/schedule.js';

/** A loss factory registered under kind `loss`. */
export interface LossEntry extends EntryBase {
  create(options?: LossOptions): Loss;
}
/** An optimiser factory registered under kind `optimizer`. */
export interface OptimizerEntry extends EntryBase {
  create(options?: OptimizerOptions): Optimizer;
}
/** A learning-rate schedule factory registered under kind `schedule`. */
export interface ScheduleEntry extends EntryBase {
  create(options: ScheduleOptions): Schedule;
}

declare module '@deepspike/core' {
  /** The registry kinds of @deepspike/train (added by declaration merging). */
  interface RegistryKinds {
    loss: LossEntry;
    optimizer: OptimizerEntry;
    schedule: ScheduleEntry;
  }
}
