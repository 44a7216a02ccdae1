import type { Layer } from './layer.js';
import type { NeuronLayer } from '../neurons/neuron-layer.js';
import { Conv2d } from './conv2d.js';
import { createNeuron, createNorm, type FactoryOptions, type NeuronSpec, type NormSpec } from './factories.js';
import { childSeed } from './init.js';
import { checkPositiveInt } from './spatial.js';

/** alpha of tdBN on each of the two branches summed by a residual add (the paper's 1/sqrt(2)). */
export const RESIDUAL_ALPHA = Math.SQRT1_2;

/** Registers a child layer on a block (a block passes `(n, l) => this.addChild(n, l)`). */
export type AddChild = <L extends Layer>(name: string, layer: L) => L;

/** What the child builders of a block read from its options. */
export type BlockSpec = { readonly norm: NormSpec; readonly neuron: NeuronSpec; readonly seed?: number } & FactoryOptions;

/** The child builders shared by the blocks: each registers the child under its name. */
export interface BlockParts {
  /** A conv `cin -> cout`, `k`x`k`, seeded with `childSeed(seed, n)`, with a bias when the norm kind is `"none"`. */
  conv(n: string, cin: number, cout: number, k: number, stride: number, padding: number): Conv2d;
  /** The norm of `channels` with tdBN alpha `a` (threshold the neuron's vth), or null for kind `"none"`. */
  norm(n: string, channels: number, a: number): Layer | null;
  /** The block's neuron. */
  neuron(n: string): NeuronLayer;
}

/** The child builders of a block with options `spec`, registering through `add`. */
export function blockParts(add: AddChild, spec: BlockSpec): BlockParts {
  const bias = spec.norm.kind === 'none';
  const vth = spec.neuron.options?.vth;
  return {
    conv: (n, cin, cout, k, stride, padding) =>
      add(n, new Conv2d(n, { inChannels: cin, filters: cout, kernel: k, stride, padding, bias, seed: childSeed(spec.seed, n) })),
    norm: (n, channels, a) => {
      const l = createNorm(n, spec.norm, channels, a, vth, spec);
      return l && add(n, l);
    },
    neuron: (n) => add(n, createNeuron(n, spec.neuron, spec)),
  };
}

/** The checked `inChannels`, `filters` and `stride` (default 1) of a residual block's options. */
export function checkBlockShape(
  options: { readonly inChannels: number; readonly filters: number; readonly stride?: number },
  where: string,
): { inChannels: number; filters: number; stride: number } {
  return {
    inChannels: checkPositiveInt(options.inChannels, where, 'inChannels'),
    filters: checkPositiveInt(options.filters, where, 'filters'),
    stride: checkPositiveInt(options.stride ?? 1, where, 'stride'),
  };
}

/** Whether a residual block needs the projection shortcut: asked for, strided, or changing the channels. */
export function needsProjection(projection: boolean | undefined, stride: number, cin: number, cout: number): boolean {
  return projection === true || stride !== 1 || cin !== cout;
}
