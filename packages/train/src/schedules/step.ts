import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import { baseOptions, withWarmup, type Schedule, type ScheduleOptions } from './schedule.js';

/** Step decay after an optional linear warm-up: `lr(s) = lr·γ^⌊s/stepSize⌋`, s = step − warmupSteps. */
export function stepDecay(options: ScheduleOptions): Schedule {
  const [lr, warmupSteps] = baseOptions('step', options);
  const { stepSize } = options;
  const gamma = options.gamma ?? 0.1;
  check(Number.isInteger(stepSize) && (stepSize as number) > 0, () => messages.scheduleOption('step', 'stepSize', stepSize, 'an integer > 0'));
  check(typeof gamma === 'number' && gamma > 0 && gamma <= 1, () => messages.scheduleOption('step', 'gamma', gamma, 'a number in (0, 1]'));
  return {
    name: 'step',
    options: { lr, warmupSteps, stepSize: stepSize as number, gamma },
    lr: withWarmup(lr, warmupSteps, (s) => lr * Math.pow(gamma, Math.floor(s / (stepSize as number)))),
  };
}

/** A constant rate after an optional linear warm-up (`warmup`, and `constant` without one). */
export function constant(options: ScheduleOptions, name = 'constant'): Schedule {
  const [lr, warmupSteps] = baseOptions(name, options);
  return { name, options: { lr, warmupSteps }, lr: withWarmup(lr, warmupSteps, () => lr) };
}
