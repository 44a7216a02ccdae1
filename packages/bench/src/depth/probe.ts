import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { Layer } from '@deepspike/core';
import { neuronLayers, type Loss } from '@deepspike/train';

/** Per-layer statistics of one forward + backward pass. */
export interface ProbeResult {
  /** Mean spike rate (spikes per neuron per step) of each spiking layer, input to output. */
  readonly firingRates: number[];
  /** L2 norm of the loss gradient w.r.t. each weight kernel, input to output. */
  readonly gradNorms: number[];
  /** The loss of the batch. */
  readonly loss: number;
  /** The gradients by parameter name (when `keepGrads`; the caller disposes them). */
  readonly grads: Map<string, Tensor> | null;
}

/**
 * One forward and backward pass of `model` on a batch in training mode (batch statistics, as at
 * the first training step), measuring every spiking layer's firing rate and every weight kernel's
 * gradient norm `||dL/dW||_2`.
 * @param kernels the weight kernels to report, in order (see `weightKernels`)
 * @param params all trainable parameters (gradients are taken w.r.t. these)
 * @param x the batch input `[N, H, W, C]`; @param y int32 labels `[N]`
 */
export function probe(
  model: Layer,
  kernels: ReadonlyMap<string, Variable>,
  params: ReadonlyMap<string, Variable>,
  loss: Loss,
  x: Tensor,
  y: Tensor,
  keepGrads = false,
): ProbeResult {
  const neurons = neuronLayers(model);
  const recording = [...neurons.values()].map((n) => n.recordRates);
  for (const n of neurons.values()) n.recordRates = true;
  const byVar = new Map<string, string>();
  for (const [name, v] of params) byVar.set(v.name, name);
  try {
    model.setTraining(true);
    model.resetState();
    const { value, grads } = tf.variableGrads(() => loss.compute(model.forward(x), y) as tf.Scalar, [...params.values()]);
    const named = new Map<string, Tensor>();
    for (const [vn, g] of Object.entries(grads)) named.set(byVar.get(vn) ?? vn, g);
    const gradNorms = [...kernels.keys()].map((k) => {
      const g = named.get(k);
      return g ? tf.tidy(() => tf.norm(g).dataSync()[0] as number) : 0;
    });
    const firingRates = [...neurons.values()].map((n) => (n.lastFiringRate && !n.lastFiringRate.isDisposed ? (n.lastFiringRate.dataSync()[0] as number) : NaN));
    const l = value.dataSync()[0] as number;
    value.dispose();
    if (!keepGrads) tf.dispose([...named.values()]);
    return { firingRates, gradNorms, loss: l, grads: keepGrads ? named : null };
  } finally {
    [...neurons.values()].forEach((n, i) => (n.recordRates = recording[i] as boolean));
  }
}

/** `last / first` of per-layer gradient norms (null when undefined: a silent first layer or no layers). */
export function gradRatio(norms: readonly number[]): number | null {
  if (norms.length === 0) return null;
  const r = (norms[norms.length - 1] as number) / (norms[0] as number);
  return Number.isFinite(r) ? r : null;
}
