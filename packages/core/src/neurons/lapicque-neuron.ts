import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { lapicque, lapicqueFactors, lapicqueStep, type LapicqueStepOptions } from '../ops/lapicque.js';
import { isSurrogate } from '../ops/spike.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { neuronMessages } from './neuron-messages.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link Lapicque}. */
export interface LapicqueNeuronOptions extends NeuronLayerOptions {
  /** Threshold Vth > 0 (default 1, snnTorch's). */
  readonly vth?: number;
  /** Membrane resistance R > 0 (default 1, or what `tau` and `capacitance` imply). */
  readonly resistance?: number;
  /** Membrane capacitance C > 0 (default: `timeStep/(R*(1 - tau))`, so the leak factor is `tau`). */
  readonly capacitance?: number;
  /** Time step dt > 0 (default 1), at most R*C. */
  readonly timeStep?: number;
  /**
   * Used only when resistance and capacitance are not both given: the leak factor `k = 1 - dt/(R*C)`
   * in [0, 1) the missing one is solved for (default 0.5).
   */
  readonly tau?: number;
  /** `subtract` (snnTorch's default) or `zero` (the STBP/NIR LIF reset). */
  readonly reset?: 'subtract' | 'zero';
  /** Surrogate (default the paper's rectangle, a = 1). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset (default false). */
  readonly detachReset?: boolean;
}

/** Defaults of {@link Lapicque}. */
export const LAPICQUE_DEFAULTS = Object.freeze({ vth: 1, resistance: 1, timeStep: 1, tau: 0.5, reset: 'subtract' as const, detachReset: false });

/**
 * Lapicque's RC-circuit neuron (snnTorch `Lapicque`): `R*C*du/dt = -u + R*I`, forward Euler at dt,
 * so `u[t] = k*u[t-1] + g*x[t] - vth*o[t-1]` (reset `subtract`) or `u[t] = k*u[t-1]*(1-o[t-1]) + g*x[t]`
 * (reset `zero`), with `k = 1 - dt/(R*C)`, `g = dt/C`, `o[t] = H(u[t] - vth)`. With reset `zero` it is
 * NIR's LIF (`tau = R*C`, `r = R`, `v_leak = 0`) and exports as one. No parameters.
 */
export class Lapicque extends NeuronLayer {
  readonly vth: number;
  readonly resistance: number;
  readonly capacitance: number;
  readonly timeStep: number;
  readonly reset: 'subtract' | 'zero';
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;

  /** @throws InvalidArgumentError for non-positive vth/R/C/dt, dt > R*C, a bad reset or surrogate */
  constructor(name: string, options: LapicqueNeuronOptions = {}) {
    super(name, options);
    const where = `Lapicque "${name}"`;
    const d = LAPICQUE_DEFAULTS;
    this.vth = options.vth ?? d.vth;
    this.timeStep = options.timeStep ?? d.timeStep;
    const tau = options.tau ?? d.tau;
    check(Number.isFinite(this.timeStep) && this.timeStep > 0, () => neuronMessages.positive(where, 'timeStep', this.timeStep));
    if (options.resistance === undefined || options.capacitance === undefined) {
      check(Number.isFinite(tau) && tau >= 0 && tau < 1, () => spikingMessages.tau(where, tau));
    }
    // R*C from the leak factor when one of them is missing: k = 1 - dt/(R*C).
    const rc = this.timeStep / (1 - tau);
    this.resistance = options.resistance ?? (options.capacitance !== undefined ? rc / options.capacitance : d.resistance);
    this.capacitance = options.capacitance ?? rc / this.resistance;
    this.reset = options.reset ?? d.reset;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    this.detachReset = options.detachReset ?? d.detachReset;
    check(Number.isFinite(this.vth) && this.vth > 0, () => spikingMessages.vth(where, this.vth));
    check(Number.isFinite(this.resistance) && this.resistance > 0, () => neuronMessages.positive(where, 'resistance', this.resistance));
    check(Number.isFinite(this.capacitance) && this.capacitance > 0, () => neuronMessages.positive(where, 'capacitance', this.capacitance));
    check(this.timeStep <= this.resistance * this.capacitance, () => neuronMessages.lapicqueLeak(where, this.timeStep, this.resistance * this.capacitance));
    check(this.reset === 'subtract' || this.reset === 'zero', () => neuronMessages.lapicqueReset(where, this.reset));
    check(isSurrogate(this.surrogate), () => spikingMessages.surrogate(where, this.surrogate));
  }

  /** The leak factor `k = 1 - dt/(R*C)` and input gain `g = dt/C` per step. */
  get factors(): { k: number; g: number } {
    return lapicqueFactors(this);
  }

  private get opts(): LapicqueStepOptions {
    return { vth: this.vth, resistance: this.resistance, capacitance: this.capacitance, timeStep: this.timeStep, reset: this.reset, surrogate: this.surrogate, detachReset: this.detachReset };
  }

  protected multiStep(x: Tensor): Tensor {
    return lapicque(x, this.opts).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    return lapicqueStep(x, prev, this.opts);
  }
}
