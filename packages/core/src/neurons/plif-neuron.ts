import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD } from '../kernels/names.js';
import { backendHasKernels, registerCpuKernels } from '../kernels/register.js';
import { lifComposite, lifStep } from '../ops/lif-composite.js';
import { plifFused } from '../ops/plif-fused.js';
import { checkNeuronScalars } from '../ops/lif-options.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link PLIF}. */
export interface PLIFNeuronOptions extends NeuronLayerOptions {
  /** Threshold Vth > 0 (default 0.5). */
  readonly vth?: number;
  /**
   * Initial decay tau in (0, 1) (default 0.5: SpikingJelly's ParametricLIFNode init_tau = 2 with
   * decay_input=False); the parameter is `w = logit(tau)`.
   */
  readonly tau?: number;
  /** Surrogate (default the paper's rectangle, a = 1). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset factor (default false). */
  readonly detachReset?: boolean;
  /** Force the fused kernels or composite ops (default `'auto'`: fused when the backend has them). */
  readonly implementation?: 'auto' | 'fused' | 'composite';
}

/**
 * Parametric LIF (Fang et al. 2021) in the STBP form: `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]` with a
 * learnable decay `tau = sigmoid(w)`, one scalar `w` per layer (parameter `"w"`). Multi-step runs the
 * fused LIF kernels when the backend has them ({@link plifFused}: reads w once per forward), composite
 * ops otherwise; both differentiate x and w.
 */
export class PLIF extends NeuronLayer {
  readonly vth: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
  readonly implementation: 'auto' | 'fused' | 'composite';
  /** The decay's logit: `tau = sigmoid(w)`. */
  readonly w: Variable;

  /** @throws InvalidArgumentError for vth <= 0, tau outside (0, 1) or a bad surrogate */
  constructor(name: string, options: PLIFNeuronOptions = {}) {
    super(name, options);
    const where = `PLIF "${name}"`;
    this.vth = options.vth ?? 0.5;
    const tau = options.tau ?? 0.5;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    this.detachReset = options.detachReset ?? false;
    this.implementation = options.implementation ?? 'auto';
    checkNeuronScalars(where, this.vth, tau, this.surrogate);
    check(tau > 0, () => spikingMessages.tau(where, tau, '(0, 1)'));
    this.w = this.addParam('w', tf.scalar(Math.log(tau / (1 - tau))));
  }

  /** The current decay `sigmoid(w)` as a number. */
  get tau(): number {
    return tf.tidy(() => tf.sigmoid(this.w).dataSync()[0] as number);
  }

  protected multiStep(x: Tensor): Tensor {
    registerCpuKernels();
    const fused = this.implementation === 'fused' || (this.implementation === 'auto' && backendHasKernels(DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD));
    const opts = { vth: this.vth, surrogate: this.surrogate, detachReset: this.detachReset };
    if (fused) return plifFused(x, this.w, opts);
    return lifComposite(x, { ...opts, tau: tf.sigmoid(this.w) }).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    return lifStep(x, prev?.u ?? null, prev?.o ?? null, { vth: this.vth, tau: tf.sigmoid(this.w), surrogate: this.surrogate, detachReset: this.detachReset });
  }
}
