/* eslint-disable */
/**
 * GENERATED — DO NOT EDIT. Produced by tools/generate-spec-types.mjs from schemas/*.schema.json;
 * change the schemas and run `node tools/generate-spec-types.mjs` (CI runs it with --check).
 */

/**
 * One layer (or block, or repeated group) of the network, chosen by "type".
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Layer".
 */
export type Layer =
  | Conv2DLayer
  | LinearLayer
  | NormLayer
  | NeuronLayer
  | PoolLayer
  | GlobalAvgPoolLayer
  | FlattenLayer
  | DropoutLayer
  | ResidualLayer
  | SpikformerPatchSplitLayer
  | SpikformerBlockLayer
  | RepeatLayer;
/**
 * camelCase name of the layer: the field of the generated class and the prefix of its parameter names. Generated from the type and position when left out.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "LayerName".
 */
export type LayerName = string;
/**
 * Names of earlier top-level layers (their "name") or "input" (the encoded network input) whose outputs are summed to form this layer's input, e.g. ["conv2", "lif1"] for a residual add; a layer named by several later layers fans out. All must have the same shape. Left out: the previous layer's output (a chain). Only earlier layers may be named: a layer fed by its own output is a neuron layer with "recurrent". Not allowed inside a repeat.
 *
 * @minItems 1
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "LayerInputs".
 */
export type LayerInputs = [string, ...string[]];
/**
 * A size along H and W: one integer for both, or [h, w].
 *
 * @minItems 2
 * @maxItems 2
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Size2".
 */
export type Size2 = number | [number, number];

/**
 * A DeepSpike model file (*.snn.json): the spiking network, how it is trained and where it is deployed.
 */
export interface ModelSpec {
  /**
   * Path or URL of this schema, for editor completion and hover docs (e.g. "../../node_modules/@deepspike/dsl/schemas/model.schema.json"). Ignored by DeepSpike.
   */
  $schema?: string;
  /**
   * Plugin packages this model needs (for its neuron, surrogate, encoder, norm, layer, dataset, optimiser, schedule, loss or target names and their options), loaded before the rest of the file is checked. Each entry is an npm package name, optionally with a subpath ("@acme/deepspike-alif", "@acme/deepspike-alif/plugin"), resolved as Node resolves an import from the model file's folder (its node_modules and those of its parents), or a path starting with "./", "../" or "/" to a plugin module or package folder, relative to the model file. The module must export `deepspikePlugin`. The installed first-party @deepspike/* plugins are always loaded and need not be listed.
   */
  plugins?: string[];
  /**
   * Lower-kebab model name (e.g. "resnet19-cifar10"); the generated class is its PascalCase form.
   */
  name: string;
  /**
   * One or two sentences on what the model is and where it comes from.
   */
  description?: string;
  input: Input;
  /**
   * Number of simulation time steps T every input is presented for (>= 1).
   */
  timesteps: number;
  defaults?: Defaults;
  /**
   * The network, in order. Each layer consumes the previous layer's output sequence [T, N, ...].
   *
   * @minItems 1
   */
  layers: [Layer, ...Layer[]];
  /**
   * How logits are read out: "membrane" = mean over T of the last linear layer's output (no neuron after it), as the STBP-tdBN reference code does; "rate" = mean spikes of a final spiking layer; "tet" = per-step outputs [T, N, classes] for the TET loss.
   */
  readout?: 'membrane' | 'rate' | 'tet';
  training?: Training;
  hardware?: Hardware;
}
/**
 * The dataset sample one network input is built from, and how it becomes a spike sequence.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Input".
 */
export interface Input {
  /**
   * Shape of one sample without batch and time: [H, W, C] for images and event frames, [C] for vectors.
   *
   * @minItems 1
   * @maxItems 3
   */
  shape: [number] | [number, number] | [number, number, number];
  /**
   * How a static sample becomes [T, N, ...]: "direct" (repeat over T; the first conv is the encoder, as in the paper), "poisson", "latency", any encoder a plugin registers, or "events" for DVS frames that already carry T.
   */
  encoding?: string;
  /**
   * Options of the encoder (checked against the encoder's schema fragment when its plugin gives one).
   */
  encoderOptions?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * Settings every neuron and norm layer inherits unless it overrides them.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Defaults".
 */
export interface Defaults {
  neuron?: NeuronDefaults;
  norm?: NormDefaults;
}
/**
 * The default spiking neuron: u[t] = tau*u[t-1]*(1-o[t-1]) + x[t], o[t] = H(u[t] - vth).
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "NeuronDefaults".
 */
export interface NeuronDefaults {
  /**
   * Registered neuron name: "lif" (STBP), "if", "plif", "cubalif", "li", "alpha" (snnTorch Alpha), "lapicque" (snnTorch Lapicque), "psn" (parallel spiking neuron), or one a plugin registers.
   */
  kind?: string;
  /**
   * Firing threshold Vth (> 0).
   */
  vth?: number;
  /**
   * Membrane decay factor tau in [0, 1] of u[t] = tau*u[t-1]*(1-o[t-1]) + x[t].
   */
  tau?: number;
  surrogate?: Surrogate;
  /**
   * Treat the reset factor (1 - o[t-1]) as a constant in the backward pass.
   */
  detachReset?: boolean;
  /**
   * Further options of the neuron kind (checked against its plugin's schema fragment).
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * The surrogate gradient g' used for the spike's backward pass, by registered name and parameters.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Surrogate".
 */
export interface Surrogate {
  /**
   * Registered surrogate name (lower-kebab): "rect" (the paper's rectangle, (1/a)*1(|u - Vth| < a/2)), "sigmoid", "atan", ...
   */
  name: string;
  /**
   * Parameters of the surrogate family (e.g. {"alpha": 1}); missing ones take the family's defaults.
   */
  params?: {
    [k: string]: number | undefined;
  };
}
/**
 * The default normalisation layer.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "NormDefaults".
 */
export interface NormDefaults {
  /**
   * "tdbn" (threshold-dependent BN of the paper), "bn" (plain BN over T*N), "bntt", "tebn", "mpbn" (membrane potential BN, inside the next neuron), "none" (norm layers become identities), or a registered name.
   */
  kind?: string;
  /**
   * Variance epsilon of y = lambda*(alpha*Vth*(x - mu)/sqrt(var + epsilon)) + beta.
   */
  epsilon?: number;
  /**
   * Running-statistics momentum in (0, 1].
   */
  momentum?: number;
  /**
   * Further options of the norm kind (checked against its plugin's schema fragment).
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * 2-D convolution on [T, N, H, W, Cin] -> [T, N, H', W', filters] (merged over T*N); kernel [kh, kw, cin, cout].
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Conv2dLayer".
 */
export interface Conv2DLayer {
  /**
   * Layer type.
   */
  type: 'conv2d';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Number of output channels.
   */
  filters: number;
  kernel: Size2;
  stride?: Size2;
  /**
   * "same" (output = ceil(input/stride)), "valid" (no padding), or a number of zero rows/columns added on each side.
   */
  padding?: string | number;
  /**
   * Add a learned bias per output channel (redundant before a norm layer).
   */
  bias?: boolean;
}
/**
 * Fully connected layer on [T, N, in] -> [T, N, units]; kernel [in, out].
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "LinearLayer".
 */
export interface LinearLayer {
  /**
   * Layer type.
   */
  type: 'linear';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Number of outputs.
   */
  units: number;
  /**
   * Add a learned bias per output.
   */
  bias?: boolean;
}
/**
 * Normalisation over (T, N, H, W) per channel, e.g. tdBN: y = lambda*(alpha*Vth*(x - mu)/sqrt(var + eps)) + beta.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "NormLayer".
 */
export interface NormLayer {
  /**
   * Layer type.
   */
  type: 'norm';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Registered norm name (tdbn, bn, bntt, tebn, mpbn, none); inherited from defaults.norm.kind.
   */
  kind?: string;
  /**
   * tdBN's alpha: 1 on a plain path (1/sqrt(2) on the branches of a residual add, which residual blocks set themselves).
   */
  alpha?: number;
  /**
   * Variance epsilon; inherited from defaults.norm.epsilon.
   */
  epsilon?: number;
  /**
   * Running-statistics momentum; inherited from defaults.norm.momentum.
   */
  momentum?: number;
  /**
   * Further options of the norm kind; inherited from defaults.norm.options.
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * Spiking neurons: [T, N, ...] input currents -> [T, N, ...] spikes. Settings left out come from defaults.neuron.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "NeuronLayer".
 */
export interface NeuronLayer {
  /**
   * Layer type.
   */
  type: 'neuron';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Registered neuron name; inherited from defaults.neuron.kind.
   */
  kind?: string;
  /**
   * Firing threshold (> 0); inherited from defaults.neuron.vth.
   */
  vth?: number;
  /**
   * Membrane decay in [0, 1]; inherited from defaults.neuron.tau.
   */
  tau?: number;
  surrogate?: SurrogateOverride;
  /**
   * Inherited from defaults.neuron.detachReset.
   */
  detachReset?: boolean;
  /**
   * Further options of the neuron kind; inherited from defaults.neuron.options.
   */
  options?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Feeds the layer its own spikes of the previous time step through a learned all-to-all linear map added to its input current: x[t] + o[t-1] W_rec + b (snnTorch RLeaky/RSynaptic, NIR Affine/Linear on a cycle), o[-1] = 0. The neuron input must be a vector [C]; the map is [C, C], the child "rec" of the layer (parameters <name>.rec.kernel, <name>.rec.bias).
   */
  recurrent?: {
    /**
     * Add a learned bias b to the recurrent input (NIR Affine; false: Linear).
     */
    bias?: boolean;
  };
}
/**
 * A per-layer surrogate; inherited from defaults.neuron.surrogate when left out.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "SurrogateOverride".
 */
export interface SurrogateOverride {
  /**
   * Registered surrogate name.
   */
  name: string;
  /**
   * Parameters of the surrogate family; missing ones take the family's defaults.
   */
  params?: {
    [k: string]: number | undefined;
  };
}
/**
 * Spatial pooling on [T, N, H, W, C] (merged over T*N).
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "PoolLayer".
 */
export interface PoolLayer {
  /**
   * Layer type.
   */
  type: 'pool';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * "avg", "max" or "sum" (sum = avg times the window area; keeps spike counts).
   */
  mode?: 'avg' | 'max' | 'sum';
  size: Size2;
  stride?: Size2;
  /**
   * "valid" (no padding) or "same".
   */
  padding?: 'valid' | 'same';
}
/**
 * Mean over H and W: [T, N, H, W, C] -> [T, N, C].
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "GlobalAvgPoolLayer".
 */
export interface GlobalAvgPoolLayer {
  /**
   * Layer type.
   */
  type: 'globalAvgPool';
  name?: LayerName;
  inputs?: LayerInputs;
}
/**
 * [T, N, H, W, C] -> [T, N, H*W*C] (row-major, channels last).
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "FlattenLayer".
 */
export interface FlattenLayer {
  /**
   * Layer type.
   */
  type: 'flatten';
  name?: LayerName;
  inputs?: LayerInputs;
}
/**
 * Dropout during training (identity at inference); the mask is shared over T.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "DropoutLayer".
 */
export interface DropoutLayer {
  /**
   * Layer type.
   */
  type: 'dropout';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Probability of dropping a unit, in [0, 1).
   */
  rate: number;
}
/**
 * A residual block. basic (Zheng et al. 2021): conv3x3-norm(alpha=1)-neuron-conv3x3-norm(alpha) + shortcut, add, neuron. bottleneck (ResNet-50): conv1x1-norm-neuron-conv3x3(stride)-norm-neuron-conv1x1(filters*expansion)-norm(alpha) + shortcut, add, neuron. The shortcut is the identity, or a 1x1 conv (stride) + norm(alpha) when "projection". sew (SEW-ResNet, Fang et al. 2021): A = neuron(norm(conv3x3(neuron(norm(conv3x3(x)))))), S = x or neuron(norm(conv1x1(x))) when "projection", out = connect(A, S) with ADD (A+S), AND (A*S) or IAND ((1-A)*S); every norm alpha=1. ms (MS-ResNet, Hu et al.): neuron-conv3x3-norm(alpha=1)-neuron-conv3x3-norm(alpha) + shortcut of the real-valued input (membrane shortcut), no neuron after the add.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "ResidualLayer".
 */
export interface ResidualLayer {
  /**
   * Layer type.
   */
  type: 'residual';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * "basic" (ResNet-18/19/34), "bottleneck" (ResNet-50), "sew" (spike-element-wise block of SEW-ResNet) or "ms" (membrane-shortcut block of MS-ResNet).
   */
  block?: 'basic' | 'bottleneck' | 'sew' | 'ms';
  /**
   * Channels of the block's convolutions (bottleneck: of the inner ones; the block outputs filters*expansion).
   */
  filters: number;
  /**
   * Stride of the block's first 3x3 conv (and of the projection).
   */
  stride?: number;
  /**
   * SEW blocks only: the element-wise function g(A, S) joining the residual spikes A and the shortcut spikes S: "add" (A+S), "and" (A AND S = A*S) or "iand" ((NOT A) AND S = (1-A)*S).
   */
  connect?: 'add' | 'and' | 'iand';
  /**
   * Bottleneck only: output channels = filters*expansion.
   */
  expansion?: number;
  /**
   * "identity" (input and output shapes must match) or "projection" (1x1 conv with the block's stride + norm(alpha)); declare a projection when the block changes the shape.
   */
  shortcut?: 'identity' | 'projection';
  /**
   * tdBN alpha of the last norm of each branch summed by the add (1/sqrt(2) in the paper).
   */
  alpha?: number;
}
/**
 * Spiking patch splitting of Spikformer (Zhou et al. ICLR 2023, CIFAR layout): four conv3x3-norm-neuron stages to embed/8, embed/4, embed/2, embed channels, a 3x3/2 max pool (padding 1) after each of the last "pools" stages, then the relative position embedding x + neuron(norm(conv3x3(x))). [H, W, C] -> [H', W', embed] with H' halved "pools" times; every pixel of the output is a token. Uses the model's default norm and neuron.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "SpikformerPatchSplitLayer".
 */
export interface SpikformerPatchSplitLayer {
  /**
   * Layer type.
   */
  type: 'spikformerPatchSplit';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Channels D of the tokens (divisible by 8).
   */
  embed: number;
  /**
   * How many of the last stages end in a 3x3/2 max pool (2 for 32x32 CIFAR images: 8x8 = 64 tokens).
   */
  pools?: number;
}
/**
 * A Spikformer encoder block (Zhou et al. ICLR 2023): X' = X + SSA(X), X'' = X' + MLP(X'). Spiking self-attention SSA: Q, K, V = neuron(norm(Linear(X))), per head neuron_attn(Q K^T V * scale) with no softmax, then neuron(norm(Linear(.))); MLP: neuron(norm(Linear(neuron(norm(Linear(x)))))) with mlpRatio*D hidden channels. Linear maps are per token (1x1 convs); [H, W, D] in and out (tokens = pixels). Uses the model's default norm and neuron.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "SpikformerBlockLayer".
 */
export interface SpikformerBlockLayer {
  /**
   * Layer type.
   */
  type: 'spikformerBlock';
  name?: LayerName;
  inputs?: LayerInputs;
  /**
   * Attention heads; must divide the embedding size.
   */
  heads: number;
  /**
   * Hidden channels of the MLP block = mlpRatio * D.
   */
  mlpRatio?: number;
  /**
   * The scaling factor s of Q K^T V * s.
   */
  scale?: number;
  /**
   * Threshold of the neuron after Q K^T V * s; left out: half the block neuron's vth (Spikformer's 0.5 against 1).
   */
  attentionVth?: number;
}
/**
 * A group of layers repeated "times" times in sequence (each copy has its own parameters).
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "RepeatLayer".
 */
export interface RepeatLayer {
  /**
   * Layer type.
   */
  type: 'repeat';
  name?: LayerName;
  /**
   * Number of copies (>= 1).
   */
  times: number;
  /**
   * The group repeated.
   *
   * @minItems 1
   */
  layers: [Layer, ...Layer[]];
}
/**
 * How the model is trained (used by `deepspike train`).
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Training".
 */
export interface Training {
  dataset: Dataset;
  /**
   * Samples per step N.
   */
  batchSize?: number;
  /**
   * Passes over the training split.
   */
  epochs?: number;
  optimizer?: Optimizer;
  schedule?: Schedule;
  /**
   * "rate-ce" (cross-entropy of the readout logits), "rate-mse" (MSE to one-hot), "tet" (TET: mean over T of per-step CE; needs readout "tet"), or a registered loss.
   */
  loss?: string;
  /**
   * Options of the loss (e.g. TET's {"lambda": 0.05, "phi": 1}).
   */
  lossOptions?: {
    [k: string]: unknown | undefined;
  };
  augmentation?: Augmentation;
  /**
   * Normalise images by the dataset's per-channel mean and std (ignored for events).
   */
  normalize?: boolean;
  /**
   * Seed of initialisation, shuffling, augmentation and dropout.
   */
  seed?: number;
  /**
   * Save a checkpoint every this many epochs (the last epoch always saves).
   */
  checkpointEvery?: number;
}
/**
 * The dataset, by registered name (from @deepspike/datasets or a plugin), and its options.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Dataset".
 */
export interface Dataset {
  /**
   * Registered dataset name, e.g. "mnist", "cifar10", "dvs128-gesture".
   */
  name: string;
  /**
   * Options of the dataset (root folder, frames, downsampling ...), checked against its schema fragment.
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * The optimiser.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Optimizer".
 */
export interface Optimizer {
  /**
   * "sgd", "adam", "adamw" or a registered optimiser.
   */
  name: string;
  /**
   * Initial learning rate (> 0).
   */
  lr?: number;
  /**
   * SGD momentum in [0, 1).
   */
  momentum?: number;
  /**
   * L2 weight decay (>= 0).
   */
  weightDecay?: number;
  /**
   * Further options (e.g. Adam's betas).
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * The learning-rate schedule over epochs.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Schedule".
 */
export interface Schedule {
  /**
   * "constant", "step", "cosine" or a registered schedule.
   */
  name: string;
  /**
   * Options of the schedule (e.g. step's {"every": 30, "gamma": 0.1}).
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * Seeded training-time augmentation applied per sample by the data loader (train split); mirrors @deepspike/datasets' AugmentOptions. All off by default.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Augmentation".
 */
export interface Augmentation {
  /**
   * Zero-pad by "padding" pixels on each side, then crop back to the original size at a random place.
   */
  randomCrop?: {
    /**
     * Pixels added on each side before cropping.
     */
    padding: number;
  };
  /**
   * Mirror left-right with probability 1/2 (images and event frames).
   */
  flip?: boolean;
  /**
   * Zero a size x size square centred at a random pixel (DeVries & Taylor 2017).
   */
  cutout?: {
    /**
     * Side of the square in pixels.
     */
    size: number;
  };
  /**
   * Events: roll frames by up to "max" pixels in x and y (circular shift).
   */
  roll?: {
    /**
     * Largest shift in pixels.
     */
    max: number;
  };
  /**
   * ImageNet: RandomResizedCrop with this scale and aspect-ratio range (applied while decoding).
   */
  randomResizedCrop?: {
    /**
     * Range of the crop's area fraction.
     *
     * @minItems 2
     * @maxItems 2
     */
    scale?: [number, number];
    /**
     * Range of the crop's aspect ratio.
     *
     * @minItems 2
     * @maxItems 2
     */
    ratio?: [number, number];
  };
}
/**
 * The neuromorphic target and how the model is mapped onto it.
 *
 * This interface was referenced by `ModelSpec`'s JSON-Schema
 * via the `definition` "Hardware".
 */
export interface Hardware {
  /**
   * Registered chip profile (from @deepspike/neuromorphic or a plugin), e.g. "loihi2".
   */
  target: string;
  /**
   * Signed integer bits per weight after quantisation (1-32).
   */
  weightBits?: number;
  /**
   * How tdBN is folded for inference: into the "weights" (W' = g*W, b' = g*(b - mu) + beta), into per-channel "thresholds" (Vth/g), or "auto" (whatever the target supports, weights first).
   */
  fold?: 'weights' | 'thresholds' | 'auto';
  /**
   * Options of the target, passed to it when the model is mapped and checked against the schema fragment the target declares (e.g. {"cores": 16} for "crossbar"; the fixed built-in chips take none).
   */
  options?: {
    [k: string]: unknown | undefined;
  };
}
