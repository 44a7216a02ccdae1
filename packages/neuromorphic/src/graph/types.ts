/**
 * The hardware graph: what a chip runs once training is over. Synaptic layers (conv, linear),
 * neuron populations (LIF/IF, optionally current-based), pooling, flatten and the graph's input and
 * output. Tensors are channels-last without a batch axis (`[H, W, C]` or `[C]`), the house layout.
 *
 * A residual add is two (or more) edges into one population: the inputs of a node are summed,
 * each multiplied by its edge's `gain` (default 1).
 */

/** A parameter given once (scalar), per channel (length C, the last axis) or per neuron (length = size). */
export type ParamArray = number | Float32Array | Float64Array;

/** Graph input: a `[H, W, C]` or `[C]` tensor per step (spikes or analog values). */
export interface InputNode {
  readonly kind: 'input';
  readonly name: string;
  /** Shape without batch, channels last. */
  readonly shape: readonly number[];
}

/** Graph output: the sum of its inputs, read out every step. */
export interface OutputNode {
  readonly kind: 'output';
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * 2-D convolution `y = conv(x, W) + b` on `[H, W, Cin]` -> `[Ho, Wo, Cout]`, tf.js kernel layout.
 * `Ho = floor((H + pt + pb - d(kh - 1) - 1) / s) + 1`.
 */
export interface ConvNode {
  readonly kind: 'conv';
  readonly name: string;
  /** `[kh, kw, cin / groups, cout]`, row-major. */
  readonly weight: Float32Array;
  readonly kernel: readonly [number, number];
  readonly inChannels: number;
  readonly outChannels: number;
  /** `[cout]` or null. */
  readonly bias: Float32Array | null;
  readonly stride: readonly [number, number];
  /** `[top, left]` zero padding (bottom/right are equal unless `padEnd` says otherwise, as in PyTorch/NIR). */
  readonly padding: readonly [number, number];
  /** `[bottom, right]` zero padding when it differs from `padding` (tf.js `same` with stride 2). */
  readonly padEnd?: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/** Fully connected layer `y = x W + b` on `[in]` -> `[out]`. */
export interface LinearNode {
  readonly kind: 'linear';
  readonly name: string;
  /** `[in, out]`, row-major. */
  readonly weight: Float32Array;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly bias: Float32Array | null;
}

/**
 * A population of spiking neurons, one per element of its shape. Per step, with input current
 * `x[t]` (sum of the inputs, each times its edge gain):
 *
 * ```
 * i[t] = synDecay * i[t-1] + synGain * x[t]           (only when `synapse` is set; else i[t] = x[t])
 * u[t] = decay * r[t-1] + gain * i[t] + drive          r[t-1] = o[t-1] ? reset value : u[t-1]
 * a[t] = rho * a[t-1] + beta * o[t-1]                  (only when `adaptation` is set; else a[t] = 0)
 * o[t] = u[t] >= threshold + a[t]  (or >, see `strict`)
 * ```
 *
 * The STBP LIF of the paper is `decay = k`, `gain = 1`, `drive = 0`, reset to 0, `strict = false`:
 * `u[t] = k*u[t-1]*(1 - o[t-1]) + x[t]`. IF is `decay = 1`.
 */
export interface PopulationNode {
  readonly kind: 'population';
  readonly name: string;
  readonly model: 'lif' | 'if';
  readonly shape: readonly number[];
  /** Membrane decay k per step (1 for IF). */
  readonly decay: ParamArray;
  readonly threshold: ParamArray;
  /** Input gain (1 unless imported from a NIR file with `r*dt/tau != 1`). */
  readonly gain: ParamArray;
  /** Constant input per step (NIR `v_leak * dt/tau`), 0 by default. */
  readonly drive: ParamArray;
  /** `zero`: u <- resetValue on a spike (STBP, NIR); `subtract`: u <- u - threshold. */
  readonly reset: 'zero' | 'subtract';
  /** Potential after a reset to value (NIR `v_reset`), default 0. */
  readonly resetValue: ParamArray;
  /** Fire on `u > threshold` (NIR) instead of `u >= threshold` (STBP's Heaviside H(0) = 1). */
  readonly strict: boolean;
  /** Current-based synapse (NIR CubaLIF): `i[t] = synDecay*i[t-1] + synGain*x[t]`. */
  readonly synapse?: { readonly decay: ParamArray; readonly gain: ParamArray };
  /**
   * Spike-triggered threshold adaptation (an adaptive-threshold LIF, e.g. a plugin's ALIF): the
   * threshold compared with `u[t]` is `threshold + a[t]`, with `a[t] = rho*a[t-1] + beta*o[t-1]`,
   * `a[0] = 0`, so each spike raises the neuron's threshold by `beta` (same unit as `threshold`) and
   * the rise decays back by `rho` per step. A subtractive reset subtracts the raised threshold.
   */
  readonly adaptation?: { readonly beta: ParamArray; readonly rho: ParamArray };
}

/** Pooling on `[H, W, C]`: window sum, average, or max (on spikes: OR). */
export interface PoolNode {
  readonly kind: 'pool';
  readonly name: string;
  readonly mode: 'sum' | 'avg' | 'max';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  /** `[bottom, right]` padding when it differs from `padding`. */
  readonly padEnd?: readonly [number, number];
}

/**
 * Flatten to `[size]`. `order: 'hwc'` keeps the channels-last memory order (a tf.js model's flatten);
 * `'chw'` flattens channel-major (NIR/PyTorch), i.e. element (h, w, c) goes to `c*H*W + h*W + w`.
 */
export interface FlattenNode {
  readonly kind: 'flatten';
  readonly name: string;
  readonly order: 'hwc' | 'chw';
}

/** Element-wise scale `y = s * x` (NIR Scale). */
export interface ScaleNode {
  readonly kind: 'scale';
  readonly name: string;
  readonly scale: ParamArray;
}

/**
 * Per-channel affine map `y[..., c] = scale[c] * x[..., c] + shift[c]`: an inference-mode norm
 * (tdBN's folding factors) before it is folded into weights or thresholds by `foldGraph`.
 */
export interface AffineNode {
  readonly kind: 'affine';
  readonly name: string;
  readonly scale: Float32Array | Float64Array;
  readonly shift: Float32Array | Float64Array;
}

/** Any node of the hardware graph. */
export type GraphNode = InputNode | OutputNode | ConvNode | LinearNode | PopulationNode | PoolNode | FlattenNode | ScaleNode | AffineNode;

/**
 * A directed edge; inputs arriving at a node are summed, each times its edge `gain` (default 1;
 * scalar or per channel of the destination, as integer graphs need for identity residual edges).
 */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly gain?: ParamArray;
}

/**
 * A hardware graph: nodes by name and edges. `metadata` carries dt (s), T and anything an importer
 * found (NIR metadata).
 */
export interface HardwareGraph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly metadata: Readonly<Record<string, unknown>>;
}
