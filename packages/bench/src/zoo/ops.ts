import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Conv2d, Flatten, GlobalAvgPool, Linear, Pool, SpikingSelfAttention, runTokenMap, type Layer } from '@deepspike/core';

/** Operations of one forward pass, summed over the batch (divide by N for per-sample figures). */
export interface OpCount {
  /** Synaptic operations: every spike (an integer count k counts k times) times the synapses it drives, borders included. */
  sops: number;
  /** Multiply-accumulates of layers fed real values (the analog image, MS-ResNet's membrane shortcut, ...): every valid synapse every step. */
  macs: number;
  /** Of `sops`: the spike-matrix products of spiking self-attention (Q·(Kᵀ·V): each spike of K and of Q adds one row of D/heads). */
  attentionSops: number;
}

/**
 * The spike multiplicity m of an input: the smallest m with every `m·x` a non-negative integer, for
 * spike counts (m = 1) and spikes averaged by a pool over k elements (m = k: each spike is 1/k of a
 * window; a global average pool over H·W gives m = H·W), found from the smallest non-zero value and
 * checked on every element. 0 for real values (an analog image, membrane potentials).
 */
export function spikeMultiplicity(x: Tensor): number {
  return tf.tidy(() => {
    if (tf.min(x).dataSync()[0]! < 0) return 0;
    const nonzero = tf.where(tf.greater(x, 0), x, tf.fill(x.shape, Infinity));
    const smallest = tf.min(nonzero).dataSync()[0]!;
    if (!Number.isFinite(smallest)) return 1; // all zero: no spikes
    const m = Math.round(1 / smallest);
    if (m < 1 || m > 4096) return 0;
    const scaled = tf.mul(x, m);
    const off = tf.max(tf.abs(tf.sub(scaled, tf.round(scaled)))).dataSync()[0]!;
    return off < 1e-3 ? m : 0;
  });
}

/**
 * How many synapses each input element drives through a conv: per output position, the window's
 * valid inputs, summed and times cout. Exact at borders: `cout * sum(conv(x summed over C, ones))`.
 */
function convOps(c: Conv2d, x: Tensor, counts: boolean): number {
  // counts: sum over the valid synapses of the input values (times m by the caller); else every valid synapse
  return tf.tidy(() => {
    const [t, n, h, w, ch] = x.shape as [number, number, number, number, number];
    const merged = tf.reshape(x, [t * n, h, w, ch]) as tf.Tensor4D;
    const src = (counts ? tf.sum(merged, -1, true) : tf.mul(tf.onesLike(tf.slice(merged, [0, 0, 0, 0], [-1, -1, -1, 1])), ch)) as tf.Tensor4D;
    const ones = tf.ones([c.kernelSize[0], c.kernelSize[1], 1, 1]) as tf.Tensor4D;
    const pad = c.padding;
    const padded = typeof pad === 'number' && pad > 0 ? tf.pad(src, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : src;
    const y = tf.conv2d(padded as tf.Tensor4D, ones, c.stride, typeof pad === 'number' ? 'valid' : pad);
    return tf.sum(y).dataSync()[0]! * c.filters;
  });
}

/**
 * Counts the operations of `run()` (a forward pass of `model`) by watching every Conv2d, Linear and
 * SpikingSelfAttention call: what each input holds decides SOP (spike counts, or spikes averaged by a
 * pool: {@link spikeMultiplicity}) or MAC (real values).
 * The counting runs beside the model's own ops (patching the classes' `forward` for the call), so
 * the figures come from the firing rates of this very pass.
 */
export function countOps(model: Layer, run: () => Tensor): { ops: OpCount; output: Tensor } {
  const ops: OpCount = { sops: 0, macs: 0, attentionSops: 0 };
  const convForward = Conv2d.prototype.forward;
  const linearForward = Linear.prototype.forward;
  const ssaForward = SpikingSelfAttention.prototype.forward;
  const poolForward = Pool.prototype.forward;
  const gapForward = GlobalAvgPool.prototype.forward;
  const flattenForward = Flatten.prototype.forward;
  let inner = false;
  // An average pool divides each spike among its window: the pooled value alone can hide how many
  // spikes it carries (the mean of 4 spikes is 1), so pools tag their outputs with the multiplicity.
  const tags = new WeakMap<Tensor, number>();
  const multiplicity = (x: Tensor): number => tags.get(x) ?? spikeMultiplicity(x);
  const tagged = (y: Tensor, m: number): Tensor => {
    if (m > 0) tags.set(y, m);
    return y;
  };
  Pool.prototype.forward = function (this: Pool, x: Tensor): Tensor {
    const m = inner ? 0 : multiplicity(x);
    const y = poolForward.call(this, x);
    return tagged(y, this.mode === 'avg' ? m * this.size[0] * this.size[1] : m);
  };
  GlobalAvgPool.prototype.forward = function (this: GlobalAvgPool, x: Tensor): Tensor {
    const m = inner ? 0 : multiplicity(x);
    const y = gapForward.call(this, x);
    return tagged(y, m * (x.shape[2] as number) * (x.shape[3] as number));
  };
  Flatten.prototype.forward = function (this: Flatten, x: Tensor): Tensor {
    const m = inner ? 0 : multiplicity(x);
    return tagged(flattenForward.call(this, x), m);
  };
  Conv2d.prototype.forward = function (this: Conv2d, x: Tensor): Tensor {
    if (!inner) {
      const m = multiplicity(x);
      if (m > 0) ops.sops += m * convOps(this, x, true);
      else ops.macs += convOps(this, x, false);
    }
    return convForward.call(this, x);
  };
  Linear.prototype.forward = function (this: Linear, x: Tensor): Tensor {
    if (!inner) {
      const m = multiplicity(x);
      if (m > 0) ops.sops += m * tf.tidy(() => tf.sum(x).dataSync()[0]!) * this.units;
      else ops.macs += x.size * this.units;
    }
    return linearForward.call(this, x);
  };
  SpikingSelfAttention.prototype.forward = function (this: SpikingSelfAttention, x: Tensor): Tensor {
    if (!inner) {
      inner = true;
      try {
        const dh = this.channels / this.heads;
        const nnz = tf.tidy(() => tf.sum(runTokenMap(this.q, x)).dataSync()[0]! + tf.sum(runTokenMap(this.k, x)).dataSync()[0]!);
        ops.attentionSops += nnz * dh;
        ops.sops += nnz * dh;
      } finally {
        inner = false;
      }
    }
    return ssaForward.call(this, x);
  };
  try {
    const output = run();
    return { ops, output };
  } finally {
    Conv2d.prototype.forward = convForward;
    Pool.prototype.forward = poolForward;
    GlobalAvgPool.prototype.forward = gapForward;
    Flatten.prototype.forward = flattenForward;
    Linear.prototype.forward = linearForward;
    SpikingSelfAttention.prototype.forward = ssaForward;
  }
}
