import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import type { Surrogate } from '../registry/kinds.js';
import { isSurrogate } from './spike.js';
import { spikingMessages } from '../messages.js';

/** Options of {@link lif}. */
export interface LIFOptions {
  /** Firing threshold Vth (> 0). */
  readonly vth: number;
  /** Membrane decay factor tau in [0, 1): `u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]`. */
  readonly tau: number;
  /** Surrogate of the spike's derivative, evaluated at `u - Vth`. */
  readonly surrogate: Surrogate;
  /** Treat the reset factor `(1 - o[t-1])` as a constant in the backward pass (default false, as in the paper). */
  readonly detachReset?: boolean;
  /**
   * `'auto'` (default): the fused kernels when the active backend has `DeepSpikeLIF` and
   * `DeepSpikeLIFGrad`, else one custom gradient over tf.js ops (`'custom-gradient'`: the same
   * reverse pass, for tensorflow/webgl/webgpu); `'composite'` lets autodiff differentiate the
   * per-step ops. `'fused'`, `'custom-gradient'` and `'composite'` force one (tests, benchmarks).
   */
  readonly implementation?: LIFImplementation;
}

/** How `lif` runs: see {@link LIFOptions.implementation}. */
export type LIFImplementation = 'auto' | 'fused' | 'custom-gradient' | 'composite';

/** Validates the scalar options shared by `lif` and the neurons. */
export function checkNeuronScalars(where: string, vth: unknown, tau: unknown, surrogate: unknown): void {
  check(typeof vth === 'number' && Number.isFinite(vth) && vth > 0, () => spikingMessages.vth(where, vth));
  check(typeof tau === 'number' && Number.isFinite(tau) && tau >= 0 && tau < 1, () => spikingMessages.tau(where, tau));
  check(isSurrogate(surrogate), () => spikingMessages.surrogate(where, surrogate));
}

/** Validates a `[T, ...]` float32 input of `lif`. */
export function checkLifInput(where: string, x: Tensor): void {
  check(x.rank >= 2, () =>
    spikingMessages.rank(where, x.shape, 'rank >= 2: [T, ...] with time first, e.g. [T, N, H, W, C] or [T, N, C]', 'Add the time axis first, e.g. repeatOverTime(x, T).'),
  );
  check(x.dtype === 'float32', () => spikingMessages.dtype(where, x.dtype));
}
