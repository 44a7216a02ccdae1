import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { check, InvalidArgumentError } from '../errors.js';
import { childSeed, kaimingUniform } from '../layers/init.js';
import { psn } from '../ops/psn.js';
import { isSurrogate } from '../ops/spike.js';
import { spikingMessages } from '../messages.js';
import type { Surrogate } from '../registry/kinds.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';
import { neuronMessages } from './neuron-messages.js';
import { resolveSurrogateSpec, type SurrogateSpec } from './surrogate-spec.js';

/** Options of {@link PSN}. */
export interface PSNNeuronOptions extends NeuronLayerOptions {
  /** Time steps T of the sequences it will see (required: the weight is [T, T]). */
  readonly timesteps?: number;
  /** Threshold Vth > 0 (default 1: SpikingJelly's bias init -1 with no threshold). */
  readonly vth?: number;
  /** Surrogate (default the paper's rectangle, a = 1; SpikingJelly's default is atan). */
  readonly surrogate?: SurrogateSpec;
  /** Integer seed of the weight initialisation; unseeded when absent. */
  readonly seed?: number;
}

/**
 * Parallel spiking neuron (Fang et al., "Parallel Spiking Neurons with High Efficiency and Ability
 * to Learn Long-term Dependencies", NeurIPS 2023; SpikingJelly `PSN`): non-iterative,
 * `H = W·X + B` over the T steps (X the input as [T, M]), `S = H(H - vth)`, with a learnable
 * `weight` [T, T] (PyTorch's default init: kaiming_uniform(a = sqrt(5)), U(-1/sqrt(T), 1/sqrt(T)))
 * and `bias` [T] (init 0; SpikingJelly's `bias = -1` with no threshold is this neuron with vth 1).
 * It has no reset and no state carried between steps, so it runs only on whole sequences of its
 * T (`step()` throws); it has no NIR primitive.
 */
export class PSN extends NeuronLayer {
  readonly timesteps: number;
  readonly vth: number;
  readonly surrogate: Surrogate;
  /** [T, T] time-mixing weights. */
  readonly weight: Variable;
  /** [T] per-step bias. */
  readonly bias: Variable;

  /** @throws InvalidArgumentError for a missing/bad T, vth <= 0 or a bad surrogate */
  constructor(name: string, options: PSNNeuronOptions = {}) {
    super(name, options);
    const where = `PSN "${name}"`;
    const t = options.timesteps;
    check(typeof t === 'number' && Number.isInteger(t) && t >= 1, () => neuronMessages.psnTimesteps(where, t));
    this.timesteps = t as number;
    this.vth = options.vth ?? 1;
    this.surrogate = resolveSurrogateSpec(where, options.surrogate);
    check(Number.isFinite(this.vth) && this.vth > 0, () => spikingMessages.vth(where, this.vth));
    check(isSurrogate(this.surrogate), () => spikingMessages.surrogate(where, this.surrogate));
    this.weight = this.addParam('weight', kaimingUniform([this.timesteps, this.timesteps], this.timesteps, childSeed(options.seed, 'weight')));
    this.bias = this.addParam('bias', tf.zeros([this.timesteps]));
  }

  protected multiStep(x: Tensor): Tensor {
    check(x.shape[0] === this.timesteps, () => neuronMessages.psnSequence(`PSN "${this.name}".forward`, x.shape[0] as number, this.timesteps));
    return psn(x, this.weight, this.bias, { vth: this.vth, surrogate: this.surrogate }).spikes;
  }

  protected singleStep(): { o: Tensor; u: Tensor } {
    throw new InvalidArgumentError(neuronMessages.psnStep(`PSN "${this.name}".step`));
  }

  /** @throws InvalidArgumentError always: a PSN needs the whole sequence */
  override step(_x: Tensor): Tensor {
    throw new InvalidArgumentError(neuronMessages.psnStep(`PSN "${this.name}".step`));
  }
}
