import { check } from '@deepspike/core';
import type { Layer, ModelSpec } from '@deepspike/dsl';
import { messages } from '../paper/messages.js';

/** One network of the depth ablation. */
export interface DepthConfig {
  /**
   * Weight layers from input to output, classifier included. Plain: `depth − 1` convolutions
   * (conv–norm–LIF each) + the classifier. Residual: a stem conv + `(depth − 2)/2` basic blocks
   * (two convs each) + the classifier, so `depth` is even.
   */
  readonly depth: number;
  /** Registered norm (`tdbn`, `bn`, `bntt`, `tebn`) or `none` (convs then get a bias, as PyTorch's default). */
  readonly norm: string;
  readonly residual: boolean;
  /** Channels of every conv (default 16). */
  readonly channels?: number;
  /** Time steps T (default 4). */
  readonly timesteps?: number;
  /** Dataset (default `mnist`; `fashion-mnist` with `datasetOptions.root`). */
  readonly dataset?: string;
  readonly datasetOptions?: Readonly<Record<string, unknown>>;
  /** Seed of the initialisation (default 0). */
  readonly seed?: number;
  /**
   * Average-pool 2×2 after the first conv block, so the deep part runs at 14×14 (default true: 4× less
   * compute on two cores). The last block is followed by a 2×2 average pool, flatten and the classifier.
   */
  readonly downsample?: boolean;
}

/** Norm names the depth ablation accepts besides registered ones. */
export const NO_NORM = 'none';

/**
 * The model file (`ModelSpec`) of one depth-ablation network: 3×3 convs of `channels` filters (padding 1),
 * each followed by the norm and the paper's LIF (Vth 0.5, τ 0.25, rectangular surrogate a = 1, reset
 * not detached); direct input over T; membrane readout (mean over T of the classifier's output);
 * Adam 1e-3, rate-ce. With `residual` the middle is basic blocks (conv–norm(α=1)–LIF–conv–norm(α=1/√2)
 * + identity, LIF), as ResNet-19's.
 * @throws InvalidArgumentError for a depth the layout cannot make (plain < 2, residual odd or < 4)
 */
export function depthSpec(config: DepthConfig): ModelSpec {
  const { depth, norm, residual } = config;
  check(Number.isInteger(depth) && (residual ? depth >= 4 && depth % 2 === 0 : depth >= 2), () => messages.badDepth(depth, residual));
  const c = config.channels ?? 16;
  const hasNorm = norm !== NO_NORM;
  const convBlock = (): [Layer, ...Layer[]] => [
    { type: 'conv2d', filters: c, kernel: 3, stride: 1, padding: 1, bias: !hasNorm },
    ...(hasNorm ? [{ type: 'norm' } as const] : []),
    { type: 'neuron' },
  ];
  const downsample = config.downsample ?? true;
  const layers: [Layer, ...Layer[]] = [...convBlock(), ...(downsample ? [{ type: 'pool', mode: 'avg', size: 2 } as const] : [])];
  if (residual) for (let b = 0; b < (depth - 2) / 2; b++) layers.push({ type: 'residual', block: 'basic', filters: c });
  else for (let l = 0; l < depth - 2; l++) layers.push(...convBlock());
  layers.push({ type: 'pool', mode: 'avg', size: 2 }, { type: 'flatten' }, { type: 'linear', units: 10 });
  const name = `depth${depth}-${residual ? 'residual' : 'plain'}-${norm}`;
  return {
    name,
    description: `Depth ablation: ${residual ? 'residual' : 'plain'} conv SNN, ${depth} weight layers, ${c} channels, norm ${norm}.`,
    input: { shape: [28, 28, 1], encoding: 'direct' },
    timesteps: config.timesteps ?? 4,
    defaults: {
      neuron: { kind: 'lif', vth: 0.5, tau: 0.25, surrogate: { name: 'rect', params: { alpha: 1 } }, detachReset: false },
      norm: { kind: norm, epsilon: 1e-5, momentum: 0.1 },
    },
    layers,
    readout: 'membrane',
    training: {
      dataset: { name: config.dataset ?? 'mnist', ...(config.datasetOptions ? { options: config.datasetOptions } : {}) },
      batchSize: 32,
      epochs: 1,
      optimizer: { name: 'adam', lr: 0.001 },
      schedule: { name: 'constant' },
      loss: 'rate-ce',
      seed: config.seed ?? 0,
    },
  };
}
