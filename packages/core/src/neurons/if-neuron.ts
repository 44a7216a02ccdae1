import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { lifStep } from '../ops/lif-composite.js';
import { runLif } from '../ops/lif.js';
import type { LIFImplementation } from '../ops/lif-options.js';
import { isSurrogate } from '../ops/spike.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link IF}. */
export interface IFNeuronOptions extends NeuronLayerOptions {
  /** Threshold Vth > 0 (default 0.5). */
  readonly vth?: number;
  /** Surrogate (default the paper's rectangle, a = 1). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset factor (default false). */
  readonly detachReset?: boolean;
  /** Force the fused kernels, the custom gradient or composite ops (default `'auto'`; see `lif`). */
  readonly implementation?: LIFImplementation;
}

/**
 * Integrate-and-fire with hard reset: the STBP iteration without leak,
 * `u[t] = u[t-1]*(1-o[t-1]) + x[t]`, `o[t] = H(u[t] - vth)` (the LIF kernels with tau = 1).
 */
export class IF extends NeuronLayer {
  readonly vth: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
  readonly implementation: LIFImplementation;

  /** @throws InvalidArgumentError for vth <= 0 or a bad surrogate; UnknownEntryError for an unknown surrogate name */
  constructor(name: string, options: IFNeuronOptions = {}) {
    super(name, options);
    const where = `IF "${name}"`;
    this.vth = options.vth ?? 0.5;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    this.detachReset = options.detachReset ?? false;
    this.implementation = options.implementation ?? 'auto';
    check(Number.isFinite(this.vth) && this.vth > 0, () => spikingMessages.vth(where, this.vth));
    check(isSurrogate(this.surrogate), () => spikingMessages.surrogate(where, this.surrogate));
  }

  protected multiStep(x: Tensor): Tensor {
    return runLif(x, { vth: this.vth, tau: 1, surrogate: this.surrogate, detachReset: this.detachReset }, this.implementation).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    return lifStep(x, prev?.u ?? null, prev?.o ?? null, { vth: this.vth, tau: 1, surrogate: this.surrogate, detachReset: this.detachReset });
  }
}
