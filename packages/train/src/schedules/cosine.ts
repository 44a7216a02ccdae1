import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import { baseOptions, withWarmup, type Schedule, type ScheduleOptions } from './schedule.js';

/**
 * Cosine annealing (Loshchilov & Hutter 2017) after an optional linear warm-up:
 * `lr(s) = minLr + (lr − minLr)·(1 + cos(π·s/S))/2`, s = step − warmupSteps, S = totalSteps − warmupSteps,
 * held at `minLr` after S.
 */
export function cosine(options: ScheduleOptions): Schedule {
  const [lr, warmupSteps] = baseOptions('cosine', options);
  const totalSteps = options.totalSteps;
  const minLr = options.minLr ?? 0;
  check(Number.isInteger(totalSteps) && (totalSteps as number) > warmupSteps, () =>
    messages.scheduleOption('cosine', 'totalSteps', totalSteps, `an integer > warmupSteps (${warmupSteps})`),
  );
  check(typeof minLr === 'number' && minLr >= 0 && minLr <= lr, () => messages.scheduleOption('cosine', 'minLr', minLr, `a number in [0, lr=${lr}]`));
  const span = (totalSteps as number) - warmupSteps;
  return {
    name: 'cosine',
    options: { lr, totalSteps: totalSteps as number, warmupSteps, minLr },
    lr: withWarmup(lr, warmupSteps, (s) => minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * Math.min(s, span)) / span))) / 2),
  };
}
