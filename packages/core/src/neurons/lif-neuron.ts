import type { Tensor } from '@tensorflow/tfjs-core';
import { lif } from '../ops/lif.js';
import { lifStep } from '../ops/lif-composite.js';
import { checkNeuronScalars, type LIFImplementation } from '../ops/lif-options.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link LIF}. */
export interface LIFNeuronOptions extends NeuronLayerOptions {
  /** Threshold Vth > 0 (default 0.5, the paper's). */
  readonly vth?: number;
  /** Decay factor tau in [0, 1) (default 0.25, the paper's). */
  readonly tau?: number;
  /** Surrogate (default the paper's rectangle, a = 1: `rect({alpha: 1})`). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset factor (default false, as in the paper). */
  readonly detachReset?: boolean;
  /** Force the fused kernels, the custom gradient or composite ops (default `'auto'`; see `lif`). */
  readonly implementation?: LIFImplementation;
}

/** Defaults of the STBP LIF neuron (Zheng et al. 2021). */
export const LIF_DEFAULTS = Object.freeze({ vth: 0.5, tau: 0.25, detachReset: false });

/**
 * The STBP leaky integrate-and-fire neuron as a stateful layer:
 * `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`, `o[t] = H(u[t] - vth)` (see {@link lif}). Multi-step
 * `forward([T, N, ...])` and single-step `step([N, ...])` give identical spikes and potentials.
 * No parameters.
 */
export class LIF extends NeuronLayer {
  readonly vth: number;
  readonly tau: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
  readonly implementation: LIFImplementation;

  /** @throws InvalidArgumentError for vth <= 0, tau outside [0, 1) or a bad surrogate; UnknownEntryError for an unknown surrogate name */
  constructor(name: string, options: LIFNeuronOptions = {}) {
    super(name, options);
    const where = `LIF "${name}"`;
    this.vth = options.vth ?? LIF_DEFAULTS.vth;
    this.tau = options.tau ?? LIF_DEFAULTS.tau;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    this.detachReset = options.detachReset ?? LIF_DEFAULTS.detachReset;
    this.implementation = options.implementation ?? 'auto';
    checkNeuronScalars(where, this.vth, this.tau, this.surrogate);
  }

  protected multiStep(x: Tensor): Tensor {
    return lif(x, { vth: this.vth, tau: this.tau, surrogate: this.surrogate, detachReset: this.detachReset, implementation: this.implementation }).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    return lifStep(x, prev?.u ?? null, prev?.o ?? null, { vth: this.vth, tau: this.tau, surrogate: this.surrogate, detachReset: this.detachReset });
  }
}
