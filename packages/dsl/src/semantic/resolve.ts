import type { ModelSpec, NeuronLayer, NormLayer } from '../generated/model-spec.js';

/** A neuron's settings with every inherited value filled in from `defaults.neuron`. */
export interface ResolvedNeuron {
  readonly kind: string;
  readonly vth: number;
  readonly tau: number;
  readonly surrogate: { readonly name: string; readonly params: Readonly<Record<string, number>> };
  readonly detachReset: boolean;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A norm's settings with every inherited value filled in from `defaults.norm`. */
export interface ResolvedNorm {
  readonly kind: string;
  /** tdBN alpha (1 on a plain path; residual blocks pass their branch alpha). */
  readonly alpha: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Defaults of the schemas, for specs that did not go through validation (which fills them in). */
const NEURON: ResolvedNeuron = { kind: 'lif', vth: 0.5, tau: 0.25, surrogate: { name: 'rect', params: { alpha: 1 } }, detachReset: false, options: {} };
const NORM: Omit<ResolvedNorm, 'alpha'> = { kind: 'tdbn', epsilon: 1e-5, momentum: 0.1, options: {} };

function clean<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The settings of a neuron layer (or, without `layer`, of the neurons inside residual blocks):
 * the layer's own values over `defaults.neuron` over the schema defaults.
 */
export function resolveNeuron(spec: ModelSpec, layer?: Omit<NeuronLayer, 'type'>): ResolvedNeuron {
  const d = { ...NEURON, ...clean(spec.defaults?.neuron ?? {}) } as ResolvedNeuron;
  const own = clean({ ...(layer ?? {}) }) as Partial<NeuronLayer>;
  const surrogate = own.surrogate ?? d.surrogate;
  return {
    kind: own.kind ?? d.kind,
    vth: own.vth ?? d.vth,
    tau: own.tau ?? d.tau,
    surrogate: { name: surrogate.name, params: { ...(surrogate.params ?? {}) } as Record<string, number> },
    detachReset: own.detachReset ?? d.detachReset,
    options: { ...(own.options ?? d.options) },
  };
}

/**
 * The settings of a norm layer (or, without `layer`, of the norms inside residual blocks, with
 * `alpha` given by the caller): the layer's own values over `defaults.norm` over the schema defaults.
 * @param alpha alpha when the layer does not set it (1 on a plain path, 1/sqrt(2) on residual branches)
 */
export function resolveNorm(spec: ModelSpec, layer?: Omit<NormLayer, 'type'>, alpha = 1): ResolvedNorm {
  const d = { ...NORM, ...clean(spec.defaults?.norm ?? {}) };
  const own = clean({ ...(layer ?? {}) }) as Partial<NormLayer>;
  return {
    kind: own.kind ?? d.kind,
    alpha: own.alpha ?? alpha,
    epsilon: own.epsilon ?? d.epsilon,
    momentum: own.momentum ?? d.momentum,
    options: { ...(own.options ?? d.options) },
  };
}
