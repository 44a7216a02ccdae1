import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check, NeuronLayer, resolveSurrogateSpec, type NeuronLayerOptions, type Surrogate, type SurrogateSpec } from '@deepspike/core';
import type { HardwareDescribedNeuron, HardwareNeuronDescription } from '@deepspike/neuromorphic';
import { adaptiveLif, adaptiveLifStep, checkAdaptiveParams, type AdaptiveLIFParams } from './adaptive-lif-op.js';
import { alifMessages } from './messages.js';

/** Options of {@link AdaptiveLIF}. */
export interface AdaptiveLIFOptions extends NeuronLayerOptions {
  /** Resting threshold Vth > 0 (default 0.5, as the STBP LIF). */
  readonly vth?: number;
  /** Membrane decay tau in [0, 1) (default 0.25). */
  readonly tau?: number;
  /** Threshold increase per output spike, >= 0 (default 0.2). */
  readonly beta?: number;
  /** Per-step decay of the threshold increase, in [0, 1) (default 0.9). */
  readonly rho?: number;
  /** Surrogate: a Surrogate, a registered name or `{name, params}` (default the paper's rectangle, a = 1). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset factor (default false). */
  readonly detachReset?: boolean;
}

/** Defaults of {@link AdaptiveLIF}. */
export const ADAPTIVE_LIF_DEFAULTS = Object.freeze({ vth: 0.5, tau: 0.25, beta: 0.2, rho: 0.9, detachReset: false });

/**
 * Adaptive-threshold LIF neuron layer: the STBP LIF whose threshold rises by `beta` after each of the
 * neuron's own spikes and decays back to `vth` by `rho` per step —
 * `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`, `a[t] = rho*a[t-1] + beta*o[t-1]`,
 * `o[t] = H(u[t] - vth - a[t])` (Bellec et al. 2018's ALIF on the STBP membrane). No trainable
 * parameters. `forward([T, N, ...])` and a loop of `step([N, ...])` give identical spikes.
 */
export class AdaptiveLIF extends NeuronLayer implements HardwareDescribedNeuron {
  readonly vth: number;
  readonly tau: number;
  readonly beta: number;
  readonly rho: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
  /** Adaptation `a` carried between {@link step} calls (null at rest). */
  private adaptation: Tensor | null = null;
  private readonly adaptationHistory: Tensor[] = [];

  /**
   * @throws InvalidArgumentError for vth <= 0, tau or rho outside [0, 1), beta < 0;
   *   UnknownEntryError for an unregistered surrogate name
   */
  constructor(name: string, options: AdaptiveLIFOptions = {}) {
    super(name, options);
    const where = `AdaptiveLIF "${name}"`;
    this.vth = options.vth ?? ADAPTIVE_LIF_DEFAULTS.vth;
    this.tau = options.tau ?? ADAPTIVE_LIF_DEFAULTS.tau;
    this.beta = options.beta ?? ADAPTIVE_LIF_DEFAULTS.beta;
    this.rho = options.rho ?? ADAPTIVE_LIF_DEFAULTS.rho;
    this.detachReset = options.detachReset ?? ADAPTIVE_LIF_DEFAULTS.detachReset;
    checkAdaptiveParams(where, this);
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
  }

  /** The parameters as one object (for {@link adaptiveLif}). */
  get params(): AdaptiveLIFParams {
    return { vth: this.vth, tau: this.tau, beta: this.beta, rho: this.rho, surrogate: this.surrogate, detachReset: this.detachReset };
  }

  /**
   * The layer for a hardware mapper (`@deepspike/neuromorphic`'s HardwareDescribedNeuron contract):
   * a LIF population (`decay = tau`, `threshold = vth`) with a spike-triggered threshold adaptation
   * (`theta += beta` per spike, `theta - vth` decays by `rho` per step), exactly the dynamics of
   * {@link adaptiveLifStep}. A mapper that cannot represent `adaptation` refuses the layer rather than drop it.
   */
  hardwareNeuron(): HardwareNeuronDescription {
    return { model: 'lif', decay: this.tau, threshold: this.vth, adaptation: { beta: this.beta, rho: this.rho } };
  }

  protected multiStep(x: Tensor): Tensor {
    return adaptiveLif(x, this.params).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    const where = `AdaptiveLIF "${this.name}".step`;
    const a = prev === null ? null : this.adaptation;
    if (a) check(tf.util.arraysEqual(a.shape, x.shape), () => alifMessages.stepShape(where, x.shape, a.shape));
    const next = adaptiveLifStep(x, prev === null || a === null ? null : { ...prev, a }, this.params);
    // Kept past the base class's tidy; the old adaptation is still needed by an active tape.
    tf.keep(next.a);
    this.dropAdaptation();
    this.adaptation = next.a;
    return { o: next.o, u: next.u };
  }

  /** Clears the single-step state (potential, spikes and adaptation). */
  override resetState(): void {
    this.dropAdaptation();
    tf.dispose(this.adaptationHistory.splice(0));
    super.resetState();
  }

  private dropAdaptation(): void {
    if (!this.adaptation) return;
    if (tf.engine().isTapeOn()) this.adaptationHistory.push(this.adaptation);
    else this.adaptation.dispose();
    this.adaptation = null;
  }
}
