/**
 * Completes the registry kinds `loss`, `optimizer` and `schedule` of `@deepspike/core` by
 * declaration merging, so `registry.get('loss', 'rate-ce').create()` type-checks as a {@link Loss}.
 */
import type { EntryBase } from '@deepspike/core';
import type { Loss, LossOptions } from './losses/loss.js';
import type { Optimizer, OptimizerOptions } from './optimizers/optimizer.js';
import type { Schedule, ScheduleOptions } from './schedules/schedule.js';

declare module '@deepspike/core' {
  /** A loss factory registered under kind `loss`. */
  interface LossEntry extends EntryBase {
    create(options?: LossOptions): Loss;
  }
  /** An optimiser factory registered under kind `optimizer`. */
  interface OptimizerEntry extends EntryBase {
    create(options?: OptimizerOptions): Optimizer;
  }
  /** A learning-rate schedule factory registered under kind `schedule`. */
  interface ScheduleEntry extends EntryBase {
    create(options: ScheduleOptions): Schedule;
  }
}

export {};
