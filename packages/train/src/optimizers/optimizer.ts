import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';

/** An optimiser's state, complete enough to continue exactly after a restart. */
export interface OptimizerState {
  /** Steps applied so far (Adam's bias-correction t). */
  readonly iterations: number;
  /** Slot tensors by `<slot>/<parameter name>`, e.g. `exp_avg/conv1.kernel`. */
  readonly tensors: ReadonlyMap<string, Tensor>;
}

/**
 * A gradient-descent optimiser written with tf ops whose slots (momentum, Adam moments) are plain
 * named tensors, so a checkpoint stores them and {@link Optimizer.loadState} restores them exactly.
 */
export interface Optimizer {
  /** Registered name, e.g. `"adamw"`. */
  readonly name: string;
  /** The options after defaults. */
  readonly options: Readonly<Record<string, number | boolean>>;
  /** Steps applied so far. */
  readonly iterations: number;
  /**
   * Applies one update in place. Parameters without a gradient are left alone.
   * @param params trainable parameters by name
   * @param grads gradients by the same names (not disposed)
   * @param lr learning rate of this step (from the schedule)
   */
  step(params: ReadonlyMap<string, Variable>, grads: ReadonlyMap<string, Tensor>, lr: number): void;
  /** The current state (tensors owned by the optimiser: do not dispose). */
  state(): OptimizerState;
  /** Replaces the state by a saved one (copies the tensors; the caller keeps ownership). */
  loadState(state: { readonly iterations: number; readonly tensors: NamedTensorMap | ReadonlyMap<string, Tensor> }): void;
  /** Frees the slots. */
  dispose(): void;
}

/** Options of the built-in optimisers (each uses the ones it knows). */
export interface OptimizerOptions {
  /** SGD momentum μ (default 0). */
  readonly momentum?: number;
  /** SGD: Nesterov momentum (default false; needs momentum > 0). */
  readonly nesterov?: boolean;
  /** L2 weight decay added to the gradient (SGD, Adam) or decoupled (AdamW). Default 0 (AdamW 0.01). */
  readonly weightDecay?: number;
  /** Adam β1 (default 0.9). */
  readonly beta1?: number;
  /** Adam β2 (default 0.999). */
  readonly beta2?: number;
  /** Adam ε (default 1e-8). */
  readonly epsilon?: number;
  readonly [option: string]: unknown;
}

/**
 * Shared slot bookkeeping of the optimisers: lazily created zero slots per parameter, and the
 * state/loadState/dispose plumbing. Subclasses implement {@link update}.
 */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly name: string;
  abstract readonly options: Readonly<Record<string, number | boolean>>;
  protected iters = 0;
  private readonly slots = new Map<string, Variable>();

  /** Slot names this optimiser keeps per parameter. */
  protected abstract readonly slotNames: readonly string[];

  get iterations(): number {
    return this.iters;
  }

  /** Updates one parameter given its gradient and its slots (all inside a tidy). */
  protected abstract update(param: Variable, grad: Tensor, slots: Readonly<Record<string, Variable>>, lr: number, t: number): void;

  step(params: ReadonlyMap<string, Variable>, grads: ReadonlyMap<string, Tensor>, lr: number): void {
    check(Number.isFinite(lr) && lr >= 0, () => messages.optimizerLr(this.name, lr));
    const t = this.iters + 1;
    for (const [name, p] of params) {
      const g = grads.get(name);
      if (!g) continue;
      check(tf.util.arraysEqual(g.shape, p.shape), () => messages.gradShape(this.name, name, g.shape, p.shape));
      const slots: Record<string, Variable> = {};
      for (const s of this.slotNames) slots[s] = this.slot(s, name, p);
      tf.tidy(() => this.update(p, g, slots, lr, t));
    }
    this.iters = t;
  }

  private slot(slot: string, param: string, like: Tensor): Variable {
    const key = `${slot}/${param}`;
    let v = this.slots.get(key);
    if (!v) {
      v = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      this.slots.set(key, v);
    }
    return v;
  }

  state(): OptimizerState {
    return { iterations: this.iters, tensors: new Map(this.slots) };
  }

  loadState(state: { readonly iterations: number; readonly tensors: NamedTensorMap | ReadonlyMap<string, Tensor> }): void {
    check(Number.isInteger(state.iterations) && state.iterations >= 0, () => messages.optimizerState(this.name, `iterations ${state.iterations}`));
    const entries = state.tensors instanceof Map ? [...state.tensors] : Object.entries(state.tensors as NamedTensorMap);
    for (const [key] of entries) {
      const slot = key.split('/')[0] ?? '';
      check(this.slotNames.includes(slot), () => messages.optimizerState(this.name, `slot "${key}" (this optimiser keeps ${this.slotNames.join(', ') || 'no slots'})`));
    }
    this.dispose();
    for (const [key, t] of entries) this.slots.set(key, tf.tidy(() => tf.variable(tf.clone(t), false)));
    this.iters = state.iterations;
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}
