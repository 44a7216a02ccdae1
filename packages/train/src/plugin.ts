import type { DeepSpikePlugin } from '@deepspike/core';
import './kinds.js';
import { rateCrossEntropy } from './losses/rate-ce.js';
import { rateMse } from './losses/rate-mse.js';
import { tet } from './losses/tet.js';
import { Sgd } from './optimizers/sgd.js';
import { Adam } from './optimizers/adam.js';
import { cosine } from './schedules/cosine.js';
import { constant, stepDecay } from './schedules/step.js';

/**
 * Registers the losses (`rate-ce`, `rate-mse`, `tet`), optimisers (`sgd`, `adam`, `adamw`) and
 * schedules (`constant`, `warmup`, `cosine`, `step`) of `@deepspike/train`.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/train',
  register(registry) {
    registry.register('loss', 'rate-ce', { description: 'cross-entropy on the time-averaged output (membrane readout logits)', create: () => rateCrossEntropy() });
    registry.register('loss', 'rate-mse', { description: "the STBP paper's MSE between the firing rate and the one-hot label", create: () => rateMse() });
    registry.register('loss', 'tet', { description: 'TET: mean over T of per-step cross-entropy plus a λ·MSE regulariser', create: (o) => tet(o) });
    registry.register('optimizer', 'sgd', { description: 'SGD with momentum, Nesterov and weight decay', create: (o) => new Sgd(o) });
    registry.register('optimizer', 'adam', { description: 'Adam (L2 weight decay added to the gradient)', create: (o) => new Adam(o, false) });
    registry.register('optimizer', 'adamw', { description: 'AdamW (decoupled weight decay)', create: (o) => new Adam(o, true) });
    registry.register('schedule', 'constant', { description: 'a constant learning rate (optional linear warm-up)', create: (o) => constant(o) });
    registry.register('schedule', 'warmup', { description: 'linear warm-up to the base rate, then constant', create: (o) => constant(o, 'warmup') });
    registry.register('schedule', 'cosine', { description: 'cosine annealing to minLr over totalSteps (optional warm-up)', create: (o) => cosine(o) });
    registry.register('schedule', 'step', { description: 'decay by gamma every stepSize steps (optional warm-up)', create: (o) => stepDecay(o) });
  },
};
