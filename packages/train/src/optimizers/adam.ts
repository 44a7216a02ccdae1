import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import { SlotOptimizer, type OptimizerOptions } from './optimizer.js';

/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as `torch.optim.Adam`/`AdamW`:
 * `m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε)`,
 * with weight decay either added to the gradient (`g ← g + wd·p`, Adam) or decoupled
 * (`p ← p·(1 − lr·wd)` before the update, AdamW).
 */
export class Adam extends SlotOptimizer {
  readonly name: 'adam' | 'adamw';
  readonly options: Readonly<{ beta1: number; beta2: number; epsilon: number; weightDecay: number }>;
  protected readonly slotNames: readonly string[] = ['exp_avg', 'exp_avg_sq'];
  private readonly decoupled: boolean;

  /**
   * @param options `beta1` (0.9), `beta2` (0.999), `epsilon` (1e-8), `weightDecay` (0 for Adam, 0.01 for AdamW)
   * @param decoupled AdamW's decoupled weight decay
   */
  constructor(options: OptimizerOptions = {}, decoupled = false) {
    super();
    this.decoupled = decoupled;
    this.name = decoupled ? 'adamw' : 'adam';
    const beta1 = options.beta1 ?? 0.9;
    const beta2 = options.beta2 ?? 0.999;
    const epsilon = options.epsilon ?? 1e-8;
    const weightDecay = options.weightDecay ?? (decoupled ? 0.01 : 0);
    for (const [k, v] of [['beta1', beta1], ['beta2', beta2]] as const) {
      check(typeof v === 'number' && v >= 0 && v < 1, () => messages.optimizerOption(this.name, k, v, 'a number in [0, 1)'));
    }
    check(typeof epsilon === 'number' && epsilon > 0, () => messages.optimizerOption(this.name, 'epsilon', epsilon, 'a number > 0'));
    check(typeof weightDecay === 'number' && weightDecay >= 0, () => messages.optimizerOption(this.name, 'weightDecay', weightDecay, 'a number >= 0'));
    this.options = { beta1, beta2, epsilon, weightDecay };
  }

  protected update(p: Variable, grad: Tensor, slots: Readonly<Record<string, Variable>>, lr: number, t: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const m = slots.exp_avg as Variable;
    const v = slots.exp_avg_sq as Variable;
    let g = grad;
    if (weightDecay > 0 && !this.decoupled) g = tf.add(g, tf.mul(p, weightDecay));
    const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    m.assign(m1);
    v.assign(v1);
    const bc1 = 1 - Math.pow(beta1, t);
    const bc2 = 1 - Math.pow(beta2, t);
    const denom = tf.add(tf.sqrt(tf.div(v1, bc2)), epsilon);
    const base = weightDecay > 0 && this.decoupled ? tf.mul(p, 1 - lr * weightDecay) : p;
    p.assign(tf.sub(base, tf.mul(tf.div(m1, denom), lr / bc1)));
  }
}
