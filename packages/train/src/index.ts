/**
 * @deepspike/train — losses, optimisers, learning-rate schedules, the trainer, crash-safe
 * checkpoints, metrics, progress and the HTML report.
 * @packageDocumentation
 */
import './kinds.js';
export { messages as trainMessages } from './messages.js';
export * from './losses/loss.js';
export * from './losses/rate-ce.js';
export * from './losses/rate-mse.js';
export * from './losses/tet.js';
export * from './optimizers/optimizer.js';
export * from './optimizers/sgd.js';
export * from './optimizers/adam.js';
export * from './optimizers/clip.js';
export * from './schedules/schedule.js';
export * from './schedules/cosine.js';
export * from './schedules/step.js';
export { deepspikePlugin } from './plugin.js';
export * from './trainer/spec.js';
export * from './trainer/config.js';
export * from './trainer/run-settings.js';
export * from './trainer/train.js';
export { resolveDeterministic, type DeterministicOption } from './trainer/deterministic.js';
export * from './trainer/evaluate.js';
export * from './trainer/metrics.js';
export * from './trainer/monitor.js';
export * from './trainer/progress.js';
export * from './trainer/diagnose.js';
export * from './checkpoint/checkpoint.js';
export * from './checkpoint/spec-diff.js';
export * from './report/report.js';
export * from './report/charts.js';
export * from './trainer/evaluate-checkpoint.js';
