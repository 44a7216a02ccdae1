/**
 * Names and attribute types of DeepSpike's fused tf.js kernels. The precise contract (inputs,
 * attributes, outputs, arithmetic order) is in `kernels/README.md`; backends implement them under
 * these names and `lif` / `spike` look them up for the active backend.
 */
import type { Surrogate } from '../registry/kinds.js';

/** Fused STBP LIF forward over T: inputs `{x}`, attrs {@link LIFAttrs}, outputs `[spikes, u]`. */
export const DEEPSPIKE_LIF = 'DeepSpikeLIF';
/** Reverse pass of the LIF: inputs `{dSpikes, dU, u, spikes, sg}`, attrs {@link LIFGradAttrs}, output `dx`. */
export const DEEPSPIKE_LIF_GRAD = 'DeepSpikeLIFGrad';
/**
 * Optional fused reverse pass: `DeepSpikeLIFGrad` with `sg = g'(u - vth)` computed inside the kernel.
 * Inputs `{dSpikes, dU, u, spikes}`, attrs {@link LIFGradSurrogateAttrs}, output `dx`. When the active
 * backend has it, the gradient of `DeepSpikeLIF` uses it instead of Sub + `DeepSpikeSurrogateGrad` +
 * `DeepSpikeLIFGrad`.
 */
export const DEEPSPIKE_LIF_GRAD_SURROGATE = 'DeepSpikeLIFGradSurrogate';
/** Elementwise surrogate derivative: inputs `{x}`, attrs {@link SurrogateGradAttrs}, output `g'(x)`. */
export const DEEPSPIKE_SURROGATE_GRAD = 'DeepSpikeSurrogateGrad';

/**
 * Attributes of `DeepSpikeLIF`. Kernels read only `vth` and `tau`; `surrogate` and `detachReset` ride
 * along for the registered gradient (tf.js hands a kernel's attrs to its gradient function).
 */
export interface LIFAttrs {
  readonly vth: number;
  readonly tau: number;
  readonly surrogate?: SurrogateAttr;
  readonly detachReset?: boolean;
}

/** Attributes of `DeepSpikeLIFGrad`. */
export interface LIFGradAttrs {
  readonly tau: number;
  readonly detachReset: boolean;
}

/** Attributes of `DeepSpikeLIFGradSurrogate`: those of `DeepSpikeLIFGrad` plus the threshold and surrogate. */
export interface LIFGradSurrogateAttrs extends LIFGradAttrs {
  readonly vth: number;
  readonly surrogate: SurrogateAttr;
}

/**
 * The surrogate as a kernel attribute: `{name, params}`. JS backends receive the whole
 * {@link Surrogate} object (it has both fields) and call its `derivative`; native backends read
 * `name`/`params` and compute the families they know.
 */
export type SurrogateAttr = Pick<Surrogate, 'name' | 'params'> & Partial<Pick<Surrogate, 'derivative'>>;

/** Attributes of `DeepSpikeSurrogateGrad`. */
export interface SurrogateGradAttrs {
  readonly surrogate: SurrogateAttr;
}
