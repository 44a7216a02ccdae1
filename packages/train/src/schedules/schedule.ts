import { check } from '@deepspike/core';
import { messages } from '../messages.js';

/**
 * A learning-rate schedule: a pure function of the optimiser step, so a checkpoint's step number is
 * its whole position (resuming recomputes the same rate).
 */
export interface Schedule {
  /** Registered name, e.g. `"cosine"`. */
  readonly name: string;
  /** The options after defaults. */
  readonly options: Readonly<Record<string, number>>;
  /** The learning rate of step `step` (0-based count of optimiser steps already taken). */
  lr(step: number): number;
}

/** Options of the built-in schedules (each uses the ones it knows). */
export interface ScheduleOptions {
  /** Base learning rate (> 0). */
  readonly lr: number;
  /** Total optimiser steps of the run (cosine decays over them). */
  readonly totalSteps?: number;
  /** Linear warm-up steps: `lr·(step+1)/warmupSteps` for `step < warmupSteps` (default 0). */
  readonly warmupSteps?: number;
  /** Cosine: the final rate (default 0). */
  readonly minLr?: number;
  /** Step: steps between decays (required by `step`). */
  readonly stepSize?: number;
  /** Step: the decay factor (default 0.1). */
  readonly gamma?: number;
  readonly [option: string]: unknown;
}

/** Validates the options shared by every schedule and returns `[lr, warmupSteps]`. */
export function baseOptions(name: string, options: ScheduleOptions): [number, number] {
  const { lr } = options;
  const warmup = options.warmupSteps ?? 0;
  check(typeof lr === 'number' && Number.isFinite(lr) && lr > 0, () => messages.scheduleOption(name, 'lr', lr, 'a number > 0'));
  check(Number.isInteger(warmup) && warmup >= 0, () => messages.scheduleOption(name, 'warmupSteps', warmup, 'an integer >= 0'));
  return [lr, warmup];
}

/** Wraps `after(s)` (s counted from the end of the warm-up) with the linear warm-up. */
export function withWarmup(lr: number, warmup: number, after: (s: number) => number): (step: number) => number {
  return (step: number) => {
    check(Number.isInteger(step) && step >= 0, () => messages.scheduleStep(step));
    return step < warmup ? (lr * (step + 1)) / warmup : after(step - warmup);
  };
}
