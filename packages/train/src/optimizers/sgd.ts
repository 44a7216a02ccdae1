import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import { SlotOptimizer, type OptimizerOptions } from './optimizer.js';

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, as
 * `torch.optim.SGD` (dampening 0):
 * `g ← g + wd·p;  b ← μ·b + g;  g ← nesterov ? g + μ·b : b;  p ← p − lr·g` (no momentum: `p ← p − lr·g`).
 */
export class Sgd extends SlotOptimizer {
  readonly name = 'sgd';
  readonly options: Readonly<{ momentum: number; nesterov: boolean; weightDecay: number }>;
  protected readonly slotNames: readonly string[];

  /** @param options `momentum` (0), `nesterov` (false), `weightDecay` (0) */
  constructor(options: OptimizerOptions = {}) {
    super();
    const momentum = options.momentum ?? 0;
    const nesterov = options.nesterov ?? false;
    const weightDecay = options.weightDecay ?? 0;
    check(typeof momentum === 'number' && momentum >= 0 && momentum < 1, () => messages.optimizerOption('sgd', 'momentum', momentum, 'a number in [0, 1)'));
    check(typeof weightDecay === 'number' && weightDecay >= 0, () => messages.optimizerOption('sgd', 'weightDecay', weightDecay, 'a number >= 0'));
    check(!nesterov || momentum > 0, () => messages.optimizerOption('sgd', 'nesterov', nesterov, 'false unless momentum > 0'));
    this.options = { momentum, nesterov, weightDecay };
    this.slotNames = momentum > 0 ? ['momentum'] : [];
  }

  protected update(p: Variable, grad: Tensor, slots: Readonly<Record<string, Variable>>, lr: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    let g = weightDecay > 0 ? tf.add(grad, tf.mul(p, weightDecay)) : grad;
    if (momentum > 0) {
      const buf = slots.momentum as Variable;
      const b = tf.add(tf.mul(buf, momentum), g);
      buf.assign(b);
      g = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
    }
    p.assign(tf.sub(p, tf.mul(g, lr)));
  }
}
