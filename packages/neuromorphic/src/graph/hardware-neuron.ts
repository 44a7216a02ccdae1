/**
 * The contract a neuron layer implements to be mapped onto hardware without the mapper knowing its
 * class: a method `hardwareNeuron()` that describes the layer as a population of the hardware graph.
 * Built-in LIF, IF and PLIF are recognised by class; a plugin neuron implements
 * {@link HardwareDescribedNeuron} (the type is exported by `@deepspike/neuromorphic`, a plugin imports
 * it as a type only):
 *
 * ```ts
 * class AdaptiveLIF extends NeuronLayer implements HardwareDescribedNeuron {
 *   hardwareNeuron() { return { model: 'lif', decay: this.tau, threshold: this.vth, adaptation: { beta: this.beta, rho: this.rho } }; }
 * }
 * ```
 *
 * The description must give exactly the layer's inference dynamics (from rest, per step t, with
 * input current x[t] and spikes o):
 *
 * ```
 * u[t]     = decay * u[t-1] * (1 - o[t-1]) + x[t]            (reset to 0 after a spike)
 * a[t]     = rho * a[t-1] + beta * o[t-1]                     (a[0] = 0; only with `adaptation`)
 * theta[t] = threshold + a[t]
 * o[t]     = u[t] >= theta[t]
 * ```
 * A mapper that cannot represent part of the description (a chip without threshold adaptation, NIR)
 * must refuse the layer rather than drop that part.
 */
export interface HardwareNeuronDescription {
  /** `lif` (leaky) or `if` (no leak, `decay = 1`); informative, the graph follows `decay`. */
  readonly model: 'lif' | 'if';
  /** Membrane decay factor k per step, in [0, 1]. */
  readonly decay: number;
  /** Resting threshold Vth > 0. */
  readonly threshold: number;
  /**
   * Spike-triggered threshold adaptation: after each of its own spikes a neuron's threshold rises by
   * `beta` (>= 0), and the rise decays back toward `threshold` by the factor `rho` (in [0, 1)) per step.
   */
  readonly adaptation?: { readonly beta: number; readonly rho: number };
}

/** A neuron layer that describes itself for hardware (see {@link HardwareNeuronDescription}). */
export interface HardwareDescribedNeuron {
  hardwareNeuron(): HardwareNeuronDescription;
}

/** Whether a layer implements {@link HardwareDescribedNeuron}. */
export function describesHardware(layer: unknown): layer is HardwareDescribedNeuron {
  return typeof (layer as { hardwareNeuron?: unknown } | null)?.hardwareNeuron === 'function';
}

/**
 * What is wrong with a description, or null when it is sound: `model` lif or if, finite numbers,
 * threshold > 0, decay in [0, 1], beta >= 0 and rho in [0, 1). (The graph's population model follows
 * `decay`: IF when it is 1.)
 * @returns `[field, got, expected]` of the first problem
 */
export function checkHardwareNeuron(d: HardwareNeuronDescription): [string, string, string] | null {
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (d.model !== 'lif' && d.model !== 'if') return ['model', JSON.stringify(d.model), '"lif" or "if"'];
  if (!finite(d.decay) || d.decay < 0 || d.decay > 1) return ['decay', String(d.decay), 'a number in [0, 1]'];
  if (!finite(d.threshold) || d.threshold <= 0) return ['threshold', String(d.threshold), 'a number > 0'];
  if (d.adaptation !== undefined) {
    const { beta, rho } = d.adaptation;
    if (!finite(beta) || beta < 0) return ['adaptation.beta', String(beta), 'a number >= 0'];
    if (!finite(rho) || rho < 0 || rho >= 1) return ['adaptation.rho', String(rho), 'a number in [0, 1)'];
  }
  return null;
}
