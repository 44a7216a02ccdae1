import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { lif, stbpRectangle } from '@deepspike/core';
import { tdbnLifPoolWithStats, tdbnLifRepeatedWithStats, tdbnLifWithStats, updateRunningStatistics } from '@deepspike/tdbn';

/** The workloads of `torch_snn_bench.py`. */
export const WORKLOADS = ['mnist', 'cifar-resnet'] as const;
/** A workload name. */
export type WorkloadName = (typeof WORKLOADS)[number];

/** Constants shared with the PyTorch reference: T, Vth, tau, surrogate width a, tdBN eps/momentum. */
export const REF = { T: 4, vth: 0.5, tau: 0.25, a: 1, eps: 1e-5, momentum: 0.1 } as const;

/**
 * How a workload runs its first conv on the direct encoding: `once` on the image, its norm and
 * neuron then on that one step standing for T copies (tdbnLifRepeatedWithStats), as the framework's
 * models run it (core's encodeInputOnce / normIntoNeuronRepeated); `copies` on the image's T copies,
 * as the PyTorch reference does.
 */
export type FirstLayer = 'once' | 'copies';
/** The values of {@link FirstLayer}. */
export const FIRST_LAYERS: readonly FirstLayer[] = ['once', 'copies'];

/** A network of the benchmark: trainable variables and a forward `x [N,H,W,C] -> rate logits [N,10]`. */
export interface BenchNet {
  readonly name: WorkloadName;
  readonly batch: number;
  /** Image shape [H, W, C]. */
  readonly image: [number, number, number];
  readonly trainable: Variable[];
  /** Non-trainable running statistics (updated by forward in training mode, as torch does). */
  readonly buffers: Variable[];
  forward(x: Tensor): Tensor;
  /** One-line description of the layers. */
  readonly arch: string;
}

/** Deterministic uniform init in [-bound, bound) (torch's default conv/linear bound is 1/sqrt(fan_in)). */
function uniform(shape: number[], bound: number, seed: number, name: string): Variable {
  // Unnamed: tf.js variable names are global and a benchmark may build a net more than once.
  void name;
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed), true));
}

class Builder {
  readonly trainable: Variable[] = [];
  readonly buffers: Variable[] = [];
  private seed = 1;
  private id = 0;

  /** Conv k3, pad 1, no bias, on the merged [T*N] view. */
  conv(cin: number, cout: number): (x: Tensor) => Tensor {
    const w = uniform([3, 3, cin, cout], 1 / Math.sqrt(9 * cin), this.seed++, `conv${this.id++}`);
    this.trainable.push(w);
    return (x) => {
      const [t, n, h, wd] = x.shape as number[];
      const y = tf.conv2d(tf.reshape(x, [t! * n!, h!, wd!, cin]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
      return tf.reshape(y, [t!, n!, h!, wd!, cout]);
    };
  }

  /**
   * tdBN over (T, N, H, W) per channel (weight lambda*alpha*Vth with lambda = 1, bias 0; running
   * stats) into the STBP LIF, with an optional residual added before the neuron:
   * `lif(tdbn(x) [+ residual])` as one fused op where the backend has it (tdbnLifWithStats), as
   * the framework's layers run it.
   */
  tdbnLif(c: number, alpha = 1): (x: Tensor, residual?: Tensor) => Tensor {
    const p = this.normParams(c);
    return (x, residual) => {
      const r = tdbnLifWithStats(x, { alpha, vth: REF.vth, lambda: p.lambda, beta: p.beta, epsilon: REF.eps }, p.neuron, residual ?? null);
      updateRunningStatistics(p.rm, p.rv, r.mean, r.variance, x.size / c, REF.momentum);
      return r.spikes;
    };
  }

  /** A tdBN's lambda (1), beta (0), running mean (0) and variance (1) over c channels, and the neuron it feeds. */
  private normParams(c: number) {
    const lambda = tf.tidy(() => tf.variable(tf.ones([c]), true));
    const beta = tf.tidy(() => tf.variable(tf.zeros([c]), true));
    const rm = tf.tidy(() => tf.variable(tf.zeros([c]), false));
    const rv = tf.tidy(() => tf.variable(tf.ones([c]), false));
    this.trainable.push(lambda, beta);
    this.buffers.push(rm, rv);
    this.id++;
    return { lambda, beta, rm, rv, neuron: { vth: REF.vth, tau: REF.tau, surrogate: stbpRectangle(1 / REF.a), detachReset: false } };
  }

  /**
   * tdbnLif then the k x k average pool, as one op where the backend fuses them
   * (tdbnLifPoolWithStats), as the framework's layers run a norm, its neuron and a tiling average
   * pool (core's normIntoNeuronPool).
   */
  tdbnLifPool(c: number, k: number): (x: Tensor) => Tensor {
    const p = this.normParams(c);
    return (x) => {
      const r = tdbnLifPoolWithStats(x, { alpha: 1, vth: REF.vth, lambda: p.lambda, beta: p.beta, epsilon: REF.eps }, p.neuron, k);
      updateRunningStatistics(p.rm, p.rv, r.mean, r.variance, x.size / c, REF.momentum);
      return r.pooled;
    };
  }

  /**
   * tdbnLif, or with `k` tdbnLifPool, on a one-step x [1, N, ...] standing for its T copies (the
   * first conv of a direct encoding computed once, as the framework's models run it): one
   * tdbnLifRepeatedWithStats op, the same values and gradients as on the copies.
   */
  tdbnLifRepeated(c: number, k: number | null): (x: Tensor) => Tensor {
    const p = this.normParams(c);
    return (x) => {
      const r = tdbnLifRepeatedWithStats(x, { alpha: 1, vth: REF.vth, lambda: p.lambda, beta: p.beta, epsilon: REF.eps }, p.neuron, REF.T, k);
      updateRunningStatistics(p.rm, p.rv, r.mean, r.variance, (REF.T * x.size) / c, REF.momentum);
      return r.spikes;
    };
  }

  /** STBP LIF, Vth 0.5, tau 0.25, rectangular surrogate a = 1, reset not detached. */
  lif(): (x: Tensor) => Tensor {
    const surrogate = stbpRectangle(1 / REF.a);
    return (x) => lif(x, { vth: REF.vth, tau: REF.tau, surrogate, detachReset: false }).spikes;
  }

  avgPool(k: number): (x: Tensor) => Tensor {
    return (x) => {
      const [t, n, h, w, c] = x.shape as number[];
      const y = tf.avgPool(tf.reshape(x, [t! * n!, h!, w!, c!]) as tf.Tensor4D, k, k, 'valid');
      return tf.reshape(y, [t!, n!, ...y.shape.slice(1)]);
    };
  }

  /** Flatten + Linear(inF -> outF) with bias on the merged view: [T, N, ...] -> [T, N, outF]. */
  linear(inF: number, outF: number): (x: Tensor) => Tensor {
    const bound = 1 / Math.sqrt(inF);
    const w = uniform([inF, outF], bound, this.seed++, `fc${this.id}.kernel`);
    const b = uniform([outF], bound, this.seed++, `fc${this.id++}.bias`);
    this.trainable.push(w, b);
    return (x) => {
      const [t, n] = x.shape as number[];
      const y = tf.add(tf.matMul(tf.reshape(x, [t! * n!, inF]), w), b);
      return tf.reshape(y, [t!, n!, outF]);
    };
  }
}

function mnist(first: FirstLayer): BenchNet {
  const b = new Builder();
  const layers = [
    b.conv(1, 32), first === 'once' ? b.tdbnLifRepeated(32, 2) : b.tdbnLifPool(32, 2),
    b.conv(32, 64), b.tdbnLifPool(64, 2),
    b.linear(64 * 7 * 7, 10), b.lif(),
  ];
  return {
    name: 'mnist', batch: 64, image: [28, 28, 1], trainable: b.trainable, buffers: b.buffers,
    arch: `Conv(1->32,k3,p1,no bias)-tdBN-LIF-AvgPool2-Conv(32->64,k3,p1,no bias)-tdBN-LIF-AvgPool2-Flatten-Linear(3136->10)-LIF (each tdBN-LIF-AvgPool2 one op where fused); rate over T -> cross-entropy; ${firstText(first)}`,
    forward: (x) => tf.mean(layers.reduce((h, f) => f(h), encode(x, first)), 0),
  };
}

function cifarResnet(first: FirstLayer): BenchNet {
  const b = new Builder();
  const c = 64;
  const stem = [b.conv(3, c), first === 'once' ? b.tdbnLifRepeated(c, null) : b.tdbnLif(c)];
  const blocks = [0, 1].map(() => {
    const conv1 = b.conv(c, c), bnLif1 = b.tdbnLif(c, 1);
    const conv2 = b.conv(c, c), bnLif2 = b.tdbnLif(c, 1 / Math.sqrt(2));
    return (x: Tensor) => bnLif2(conv2(bnLif1(conv1(x))), x);
  });
  const head = [b.avgPool(4), b.linear(c * 8 * 8, 10), b.lif()];
  const layers = [...stem, ...blocks, ...head];
  return {
    name: 'cifar-resnet', batch: 32, image: [32, 32, 3], trainable: b.trainable, buffers: b.buffers,
    arch: `Conv(3->64,k3,p1,no bias)-tdBN-LIF; 2x ResBlock[Conv(64->64,k3,p1)-tdBN(a=1)-LIF-Conv(64->64,k3,p1)-tdBN(a=1/sqrt2) + identity -> LIF]; AvgPool4-Flatten-Linear(4096->10)-LIF; rate over T -> cross-entropy; ${firstText(first)}`,
    forward: (x) => tf.mean(layers.reduce((h, f) => f(h), encode(x, first)), 0),
  };
}

function firstText(first: FirstLayer): string {
  return first === 'once' ? 'first conv once on the image (its tdBN-LIF on the one step for T)' : "first conv on the image's T copies";
}

/** The direct encoding: the image as one step [1, N, H, W, C] (`once`), or repeated over T. */
function encode(x: Tensor, first: FirstLayer): Tensor {
  return first === 'once' ? tf.expandDims(x, 0) : repeatT(x);
}

/** Direct encoding: the image repeated over T, [N, H, W, C] -> [T, N, H, W, C]. */
function repeatT(x: Tensor): Tensor {
  return tf.tile(tf.expandDims(x, 0), [REF.T, 1, 1, 1, 1]);
}

/** Builds a workload's network (deterministic weights), its first conv run as `first` says (default once). */
export function buildNet(name: WorkloadName, first: FirstLayer = 'once'): BenchNet {
  return name === 'mnist' ? mnist(first) : cifarResnet(first);
}
