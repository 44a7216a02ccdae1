import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { alphaNeuron, alphaStep, type AlphaState, type AlphaStepOptions } from '../ops/alpha-neuron.js';
import { isSurrogate } from '../ops/spike.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { neuronMessages } from './neuron-messages.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link Alpha}. */
export interface AlphaNeuronOptions extends NeuronLayerOptions {
  /** Threshold Vth > 0 (default 1, snnTorch's). */
  readonly vth?: number;
  /** Excitatory-current decay in (beta, 1) (default 0.9). */
  readonly alpha?: number;
  /** Inhibitory-current decay in (0, alpha) (default 0.8). */
  readonly beta?: number;
  /** Surrogate (default the paper's rectangle, a = 1). */
  readonly surrogate?: SurrogateSpec;
  /** Cut the gradient through the reset factor, as snnTorch does (default false). */
  readonly detachReset?: boolean;
}

/** Defaults of {@link Alpha}. */
export const ALPHA_DEFAULTS = Object.freeze({ vth: 1, alpha: 0.9, beta: 0.8, detachReset: false });

/**
 * Alpha neuron (snnTorch `Alpha`, reset to zero): two exponentially decaying currents fed with
 * opposite signs, `e[t] = (alpha*e[t-1] + x[t])*(1-o[t-1])`, `i[t] = (beta*i[t-1] - x[t])*(1-o[t-1])`,
 * and `u[t] = tau_alpha*(e[t] + i[t])`, `o[t] = H(u[t] - vth)`, with
 * `tau_alpha = log(alpha)/(log(beta) - log(alpha)) + 1`: an input pulse reaches u one step later as
 * an alpha-shaped rise and fall. Trained with STBP through time by autodiff over the per-step ops.
 * No parameters; it has no NIR primitive.
 */
export class Alpha extends NeuronLayer {
  readonly vth: number;
  readonly alpha: number;
  readonly beta: number;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
  /** The currents of the single-step state (the last is current), freed by resetState(). */
  private readonly currents: Tensor[][] = [];

  /** @throws InvalidArgumentError for vth <= 0, decays outside 0 < beta < alpha < 1 or a bad surrogate */
  constructor(name: string, options: AlphaNeuronOptions = {}) {
    super(name, options);
    const where = `Alpha "${name}"`;
    this.vth = options.vth ?? ALPHA_DEFAULTS.vth;
    this.alpha = options.alpha ?? ALPHA_DEFAULTS.alpha;
    this.beta = options.beta ?? ALPHA_DEFAULTS.beta;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    this.detachReset = options.detachReset ?? ALPHA_DEFAULTS.detachReset;
    check(Number.isFinite(this.vth) && this.vth > 0, () => spikingMessages.vth(where, this.vth));
    check(Number.isFinite(this.alpha) && Number.isFinite(this.beta) && this.beta > 0 && this.beta < this.alpha && this.alpha < 1, () => neuronMessages.alphaDecays(where, this.alpha, this.beta));
    check(isSurrogate(this.surrogate), () => spikingMessages.surrogate(where, this.surrogate));
  }

  private get opts(): AlphaStepOptions {
    return { vth: this.vth, alpha: this.alpha, beta: this.beta, surrogate: this.surrogate, detachReset: this.detachReset };
  }

  protected multiStep(x: Tensor): Tensor {
    return alphaNeuron(x, this.opts).spikes;
  }

  protected singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor } {
    const last = this.currents[this.currents.length - 1];
    const state: AlphaState | null = prev && last ? { ...prev, e: last[0] as Tensor, i: last[1] as Tensor } : null;
    const next = alphaStep(x, state, this.opts);
    this.currents.push([tf.keep(next.e), tf.keep(next.i)]);
    // Older currents stay while a gradient tape may need them (as the base class keeps u, o).
    if (!tf.engine().isTapeOn()) tf.dispose(this.currents.splice(0, this.currents.length - 1).flat());
    return { o: next.o, u: next.u };
  }

  override resetState(): void {
    tf.dispose(this.currents.splice(0).flat());
    super.resetState();
  }
}
