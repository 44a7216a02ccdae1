import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { cubaLif, cubaLifStep, type CubaLIFStepOptions } from '../ops/cuba-lif.js';
import { isSurrogate } from '../ops/spike.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link CubaLIF}. */
export interface CubaLIFNeuronOptions extends NeuronLayerOptions {
  /** Threshold Vth > 0 (default 1, snnTorch's and NIR's usual). */
  readonly vth?: number;
  /** Membrane decay (snnTorch beta) in [0, 1] (default 0.9). */
  readonly tau?: number;
  /** Synaptic-current decay (snnTorch alpha) in [0, 1) (default 0.5). */
  readonly alpha?: number;
  /** Surrogate (default the paper's rectangle, a = 1). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset factor (default false). */
  readonly detachReset?: boolean;
}

/** Defaults of {@link CubaLIF}. */
export const CUBA_LIF_DEFAULTS = Object.freeze({ vth: 1, tau: 0.9, alpha: 0.5, detachReset: false });

/**
 * Current-based LIF (NIR CubaLIF, snnTorch Synaptic), reset to zero:
 * `i[t] = alpha*i[t-1] + x[t]`, `u[t] = tau*u[t-1]*(1-o[t-1]) + i[t]`, `o[t] = H(u[t] - vth)`.
 * Trained with STBP through time by autodiff over the per-step ops. No parameters.
 */
export class CubaLIF extends NeuronLayer {
  readonly vth: number;
  readonly tau: number;
  readonly alpha: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
  /** Synaptic currents of the single-step state (the last one is current), freed by resetState(). */
  private readonly currents: Tensor[] = [];

  /** @throws InvalidArgumentError for vth <= 0, tau outside [0, 1], alpha outside [0, 1) or a bad surrogate */
  constructor(name: string, options: CubaLIFNeuronOptions = {}) {
    super(name, options);
    const where = `CubaLIF "${name}"`;
    this.vth = options.vth ?? CUBA_LIF_DEFAULTS.vth;
    this.tau = options.tau ?? CUBA_LIF_DEFAULTS.tau;
    this.alpha = options.alpha ?? CUBA_LIF_DEFAULTS.alpha;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    this.detachReset = options.detachReset ?? CUBA_LIF_DEFAULTS.detachReset;
    check(Number.isFinite(this.vth) && this.vth > 0, () => spikingMessages.vth(where, this.vth));
    check(Number.isFinite(this.tau) && this.tau >= 0 && this.tau <= 1, () => spikingMessages.tau(where, this.tau, '[0, 1]'));
    check(Number.isFinite(this.alpha) && this.alpha >= 0 && this.alpha < 1, () => spikingMessages.tau(`${where} (synaptic decay alpha)`, this.alpha));
    check(isSurrogate(this.surrogate), () => spikingMessages.surrogate(where, this.surrogate));
  }

  private get opts(): CubaLIFStepOptions {
    return { vth: this.vth, tau: this.tau, alpha: this.alpha, surrogate: this.surrogate, detachReset: this.detachReset };
  }

  protected multiStep(x: Tensor): Tensor {
    return cubaLif(x, this.opts).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    const i = prev === null ? null : (this.currents[this.currents.length - 1] ?? null);
    const next = cubaLifStep(x, prev && i ? { ...prev, i } : null, this.opts);
    this.currents.push(tf.keep(next.i));
    // The older currents stay while a gradient tape may need them (as the base class keeps u, o).
    if (!tf.engine().isTapeOn()) tf.dispose(this.currents.splice(0, this.currents.length - 1));
    return { o: next.o, u: next.u };
  }

  override resetState(): void {
    tf.dispose(this.currents.splice(0));
    super.resetState();
  }
}
