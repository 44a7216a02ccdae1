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
