import { DeepSpikeError, SpikingModel, outputSize, type Padding, type PoolMode, type ReadoutMode, type SewConnect } from '@deepspike/core';
import { resolveNeuron, resolveNorm, type Layer as LayerSpec, type ModelSpec, type NeuronLayer as NeuronLayerSpec } from '@deepspike/dsl';
import { SPEC_DEFAULTS } from './defaults.js';
import { messages } from './messages.js';
import { camelCase, pascalCase } from './naming.js';
import { GraphWiring } from './graph-wiring.js';

/** A surrogate by registered name and parameters. */
export interface SurrogateRef {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

/** A neuron with every setting resolved (layer over `defaults.neuron` over the schema defaults). */
export interface NeuronPlan {
  readonly kind: string;
  readonly vth: number;
  readonly tau: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateRef;
  /** Further options of the kind (`defaults.neuron.options` merged with the layer's). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A norm with its settings resolved. */
export interface NormPlan {
  readonly kind: string;
  readonly epsilon: number;
  readonly momentum: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** What one field of the model is built from. */
export type PlanLayer =
  | { readonly type: 'conv2d'; readonly options: { inChannels: number; filters: number; kernel: number | [number, number]; stride: number | [number, number]; padding: Padding; bias: boolean } }
  | { readonly type: 'linear'; readonly options: { inFeatures: number; units: number; bias: boolean } }
  | { readonly type: 'norm'; readonly norm: NormPlan; readonly channels: number; readonly alpha: number; readonly vth: number }
  | { readonly type: 'neuron'; readonly neuron: NeuronPlan; readonly recurrent?: { readonly features: number; readonly bias: boolean } }
  | { readonly type: 'pool'; readonly options: { mode: PoolMode; size: number | [number, number]; stride: number | [number, number]; padding: Padding } }
  | { readonly type: 'globalAvgPool' }
  | { readonly type: 'flatten' }
  | { readonly type: 'dropout'; readonly options: { rate: number } }
  | {
      readonly type: 'basic';
      readonly options: { inChannels: number; filters: number; stride: number; projection: boolean; residualAlpha: number };
      readonly norm: NormPlan;
      readonly neuron: NeuronPlan;
    }
  | {
      readonly type: 'bottleneck';
      readonly options: { inChannels: number; planes: number; expansion: number; stride: number; projection: boolean; residualAlpha: number };
      readonly norm: NormPlan;
      readonly neuron: NeuronPlan;
    }
  | {
      readonly type: 'sew';
      readonly options: { inChannels: number; filters: number; stride: number; projection: boolean; connect: SewConnect };
      readonly norm: NormPlan;
      readonly neuron: NeuronPlan;
    }
  | {
      readonly type: 'ms';
      readonly options: { inChannels: number; filters: number; stride: number; projection: boolean; residualAlpha: number };
      readonly norm: NormPlan;
      readonly neuron: NeuronPlan;
    }
  | {
      readonly type: 'spikformerPatchSplit';
      readonly options: { inChannels: number; embed: number; pools: number };
      readonly norm: NormPlan;
      readonly neuron: NeuronPlan;
    }
  | {
      readonly type: 'spikformerBlock';
      readonly options: { channels: number; heads: number; mlpRatio: number; scale: number; attentionVth?: number };
      readonly norm: NormPlan;
      readonly neuron: NeuronPlan;
    }
  | { readonly type: 'plugin'; readonly layerType: string; readonly options: Readonly<Record<string, unknown>> };

/** One field of the model: a layer (or block), its name, where it came from and its shapes. */
export interface PlanNode {
  /** camelCase field name = child name = parameter prefix. */
  readonly field: string;
  /** JSON pointer of the spec layer it was built from (repeat copies share it). */
  readonly pointer: string;
  readonly layer: PlanLayer;
  /** Per-sample input shape (no T, N). */
  readonly inShape: readonly number[];
  /** Per-sample output shape (no T, N). */
  readonly outShape: readonly number[];
  /**
   * Graph-shaped models: the fields (or `"input"`, the encoded input) whose outputs are summed into
   * this node. Absent when the node takes the previous node's output (a chain).
   */
  readonly inputs?: readonly string[];
}

/** Everything needed to build or emit a model, resolved from a spec. */
export interface ModelPlan {
  readonly name: string;
  readonly className: string;
  readonly description: string;
  readonly timesteps: number;
  /** Registered encoder name, or `"events"` for inputs that already carry T. */
  readonly encoding: string;
  readonly encoderOptions: Readonly<Record<string, unknown>>;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly readout: ReadoutMode;
  /** Default initialisation seed (training.seed, else 0). */
  readonly seed: number;
  /** Model-wide neuron and norm (used by residual blocks). */
  readonly neuron: NeuronPlan;
  readonly norm: NormPlan;
  readonly nodes: readonly PlanNode[];
}

/** The layer types codegen knows; any other `type` is a plugin layer (registry kind `layer`). */
export const BUILTIN_LAYER_TYPES = ['conv2d', 'linear', 'norm', 'neuron', 'pool', 'globalAvgPool', 'flatten', 'dropout', 'residual', 'repeat', 'spikformerPatchSplit', 'spikformerBlock'] as const;

/** Optional hook a plugin layer entry may carry so codegen knows its output shape (default: unchanged). */
export interface ShapeAware {
  /** Same hook as `@deepspike/dsl`'s inferShapes: the output `[H, W, C]` / `[C]` for an input shape. */
  outputShape?(options: Readonly<Record<string, unknown>>, input: readonly number[]): readonly number[];
}

interface Flat {
  readonly field: string;
  readonly pointer: string;
  readonly spec: LayerSpec | { type: string; name?: string; [k: string]: unknown };
}

const BASE_NAMES: Readonly<Record<string, string>> = {
  conv2d: 'conv',
  linear: 'fc',
  norm: 'norm',
  pool: 'pool',
  globalAvgPool: 'globalPool',
  flatten: 'flatten',
  dropout: 'dropout',
  residual: 'block',
  repeat: 'stage',
  spikformerPatchSplit: 'patches',
  spikformerBlock: 'encoder',
};

function baseName(spec: Flat['spec'], neuronKind: string): string {
  if (spec.type === 'neuron') return camelCase(((spec as NeuronLayerSpec).kind ?? neuronKind) || 'neuron');
  return BASE_NAMES[spec.type] ?? camelCase(spec.type);
}

let reservedCache: Set<string> | null = null;
/** Members of the model classes a layer field must not shadow. */
export function reservedNames(): Set<string> {
  if (reservedCache) return reservedCache;
  class Probe extends SpikingModel {
    forward(x: never): never {
      return x;
    }
  }
  const names = new Set<string>(['encoder', 'readout', 'spec', 'plan', 'inputShape', 'outputShape', 'neuronLayers', 'constructor', 'layers']);
  const probe = new Probe('probe', 1);
  for (const n of Object.getOwnPropertyNames(probe)) names.add(n);
  for (let p: object | null = Object.getPrototypeOf(probe); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  reservedCache = names;
  return names;
}

/** Expands repeats and names every layer (see {@link planModel}). */
function flatten(layers: readonly Flat['spec'][], pointer: string, prefix: (local: string) => string, topLevel: boolean, neuronKind: string, out: Flat[]): void {
  const bases = layers.map((l) => baseName(l, neuronKind));
  const counts = new Map<string, number>();
  layers.forEach((l, i) => {
    if (l.name === undefined) counts.set(bases[i] as string, (counts.get(bases[i] as string) ?? 0) + 1);
  });
  const seen = new Map<string, number>();
  const explicit = new Set(layers.flatMap((l) => (l.name === undefined ? [] : [l.name])));
  layers.forEach((spec, i) => {
    const base = bases[i] as string;
    let local = spec.name;
    if (local === undefined) {
      const numbered = topLevel || (counts.get(base) ?? 0) > 1;
      let k = seen.get(base) ?? 0;
      do k++;
      while (numbered && explicit.has(`${base}${k}`));
      seen.set(base, k);
      local = numbered ? `${base}${k}` : base;
    }
    const here = `${pointer}/${i}`;
    if (spec.type === 'repeat') {
      const r = spec as Extract<LayerSpec, { type: 'repeat' }>;
      const group = prefix(local);
      for (let c = 1; c <= r.times; c++) flatten(r.layers, `${here}/layers`, (inner) => `${group}${pascalCase(inner)}${c}`, false, neuronKind, out);
      return;
    }
    out.push({ field: prefix(local), pointer: here, spec });
  });
}

/** A neuron layer's settings over `defaults.neuron` over the schema defaults (the DSL's resolution). */
function neuronPlan(spec: ModelSpec, layer?: NeuronLayerSpec): NeuronPlan {
  const { type: _type, name: _name, ...own } = layer ?? { type: 'neuron' };
  return resolveNeuron(spec, own);
}

/** A norm layer's settings over `defaults.norm` over the schema defaults (alpha is kept apart). */
function normPlan(spec: ModelSpec, layer?: Extract<LayerSpec, { type: 'norm' }>): NormPlan {
  const { type: _type, name: _name, ...own } = layer ?? { type: 'norm' };
  const { alpha: _alpha, ...norm } = resolveNorm(spec, own);
  return norm;
}

const pair = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/**
 * Resolves a (validated) spec into the fields of its model: repeats expanded, names given, defaults
 * applied, shapes propagated. Both {@link buildModel} and {@link emitModel} work from this plan, which
 * is why they build the same layers under the same names.
 *
 * Naming of layers without a `name`: at the top level `<base><k>` with k counting layers of that
 * base (`conv1`, `norm1`, `lif1`, `conv2`, `fc1`, `block1`, `stage1`); bases are conv, fc, norm,
 * the neuron kind (lif, if, plif), pool, globalPool, flatten, dropout, block (residual), stage
 * (repeat), and a plugin type's camelCase; k counts only unnamed layers and skips names given explicitly. Inside a repeat named R, copy c of an inner layer named
 * L becomes `R + Pascal(L) + c` (`stage2Block1`), where an unnamed inner layer is just its base when
 * its base is unique in the group.
 * @param lookupPlugin gives the registry entry of a plugin layer type (for its optional `outputShape`)
 * @throws DeepSpikeError on a shape that cannot propagate or a name clash
 * long-function: one walk over the layer kinds (naming and shape propagation per kind) that new layer kinds extend now; split together with emitModel.
 */
export function planModel(spec: ModelSpec, lookupPlugin: (type: string) => ShapeAware = () => ({})): ModelPlan {
  const neuron = neuronPlan(spec);
  const norm = normPlan(spec);
  const flat: Flat[] = [];
  flatten(spec.layers, '/layers', (l) => l, true, neuron.kind, flat);
  const reserved = reservedNames();
  const firstAt = new Map<string, string>();
  for (const f of flat) {
    if (reserved.has(f.field)) throw new DeepSpikeError(messages.reservedName(f.pointer, f.field));
    const prev = firstAt.get(f.field);
    if (prev !== undefined) throw new DeepSpikeError(messages.duplicateName(f.pointer, f.field, prev));
    firstAt.set(f.field, f.pointer);
  }

  const nodes: PlanNode[] = [];
  let shape: readonly number[] = [...spec.input.shape];
  const wiring = new GraphWiring(shape);
  const needImage = (f: Flat): [number, number, number] => {
    if (shape.length !== 3) throw new DeepSpikeError(messages.needsImage(f.pointer, f.spec.type, shape));
    return shape as [number, number, number];
  };
  const checkOut = (f: Flat, out: number[]): number[] => {
    if (out.some((d) => !(d >= 1))) throw new DeepSpikeError(messages.emptyOutput(f.pointer, f.spec.type, shape, out));
    return out;
  };
  flat.forEach((f, i) => {
    const s = f.spec as LayerSpec;
    const wired = wiring.receive(f, shape);
    shape = wired.shape;
    let layer: PlanLayer;
    let out: number[];
    switch (s.type) {
      case 'conv2d': {
        const [h, w, c] = needImage(f);
        const d = SPEC_DEFAULTS.conv2d;
        const padding = (s.padding ?? d.padding) as Padding;
        const [kh, kw] = pair(s.kernel);
        const [sh, sw] = pair(s.stride ?? d.stride);
        out = checkOut(f, [outputSize(h, kh, sh, padding), outputSize(w, kw, sw, padding), s.filters]);
        layer = { type: 'conv2d', options: { inChannels: c, filters: s.filters, kernel: s.kernel, stride: s.stride ?? d.stride, padding, bias: s.bias ?? d.bias } };
        break;
      }
      case 'linear': {
        if (shape.length !== 1) throw new DeepSpikeError(messages.needsVector(f.pointer, s.type, shape));
        out = [s.units];
        layer = { type: 'linear', options: { inFeatures: shape[0] as number, units: s.units, bias: s.bias ?? SPEC_DEFAULTS.linear.bias } };
        break;
      }
      case 'norm': {
        out = [...shape];
        const next = flat.slice(i + 1).find((g) => g.spec.type === 'neuron');
        const vth = next ? neuronPlan(spec, next.spec as NeuronLayerSpec).vth : neuron.vth;
        layer = { type: 'norm', norm: normPlan(spec, s), channels: shape[shape.length - 1] as number, alpha: s.alpha ?? SPEC_DEFAULTS.normLayer.alpha, vth };
        break;
      }
      case 'neuron':
        out = [...shape];
        if (s.recurrent !== undefined && shape.length !== 1) throw new DeepSpikeError(messages.needsVector(`${f.pointer}/recurrent`, 'recurrent neuron', shape));
        layer = { type: 'neuron', neuron: neuronPlan(spec, s), ...(s.recurrent === undefined ? {} : { recurrent: { features: shape[0] as number, bias: s.recurrent.bias ?? true } }) };
        break;
      case 'pool': {
        const [h, w, c] = needImage(f);
        const d = SPEC_DEFAULTS.pool;
        const padding = s.padding ?? d.padding;
        const stride = s.stride ?? s.size;
        const [kh, kw] = pair(s.size);
        const [sh, sw] = pair(stride);
        out = checkOut(f, [outputSize(h, kh, sh, padding), outputSize(w, kw, sw, padding), c]);
        layer = { type: 'pool', options: { mode: s.mode ?? d.mode, size: s.size, stride, padding } };
        break;
      }
      case 'globalAvgPool':
        out = [needImage(f)[2]];
        layer = { type: 'globalAvgPool' };
        break;
      case 'flatten':
        out = [shape.reduce((a, b) => a * b, 1)];
        layer = { type: 'flatten' };
        break;
      case 'dropout':
        out = [...shape];
        layer = { type: 'dropout', options: { rate: s.rate } };
        break;
      case 'residual': {
        const [h, w, c] = needImage(f);
        const d = SPEC_DEFAULTS.residual;
        const stride = s.stride ?? d.stride;
        const projection = (s.shortcut ?? d.shortcut) === 'projection';
        const residualAlpha = s.alpha ?? d.alpha;
        const size = (n: number): number => outputSize(n, 3, stride, 1);
        const block = s.block ?? d.block;
        if (block === 'sew') {
          out = checkOut(f, [size(h), size(w), s.filters]);
          layer = { type: 'sew', options: { inChannels: c, filters: s.filters, stride, projection, connect: s.connect ?? d.connect }, norm, neuron };
        } else if (block === 'ms') {
          out = checkOut(f, [size(h), size(w), s.filters]);
          layer = { type: 'ms', options: { inChannels: c, filters: s.filters, stride, projection, residualAlpha }, norm, neuron };
        } else if (block === 'bottleneck') {
          const expansion = s.expansion ?? d.expansion;
          out = checkOut(f, [size(h), size(w), s.filters * expansion]);
          layer = { type: 'bottleneck', options: { inChannels: c, planes: s.filters, expansion, stride, projection, residualAlpha }, norm, neuron };
        } else {
          out = checkOut(f, [size(h), size(w), s.filters]);
          layer = { type: 'basic', options: { inChannels: c, filters: s.filters, stride, projection, residualAlpha }, norm, neuron };
        }
        break;
      }
      case 'spikformerPatchSplit': {
        const [h, w, c] = needImage(f);
        const d = SPEC_DEFAULTS.spikformerPatchSplit;
        const pools = s.pools ?? d.pools;
        const halve = (n: number): number => {
          for (let k = 0; k < pools; k++) n = outputSize(n, 3, 2, 1);
          return n;
        };
        out = checkOut(f, [halve(h), halve(w), s.embed]);
        layer = { type: 'spikformerPatchSplit', options: { inChannels: c, embed: s.embed, pools }, norm, neuron };
        break;
      }
      case 'spikformerBlock': {
        const [, , c] = needImage(f);
        const d = SPEC_DEFAULTS.spikformerBlock;
        out = [...shape];
        layer = {
          type: 'spikformerBlock',
          options: { channels: c, heads: s.heads, mlpRatio: s.mlpRatio ?? d.mlpRatio, scale: s.scale ?? d.scale, ...(s.attentionVth === undefined ? {} : { attentionVth: s.attentionVth }) },
          norm,
          neuron,
        };
        break;
      }
      default: {
        const { type, name: _name, ...options } = f.spec as { type: string; name?: string; [k: string]: unknown };
        const entry = lookupPlugin(type);
        out = [...(entry.outputShape ? entry.outputShape(f.spec as Record<string, unknown>, shape) : shape)];
        layer = { type: 'plugin', layerType: type, options };
      }
    }
    const kept = !(layer.type === 'norm' && layer.norm.kind === 'none');
    if (kept) nodes.push({ field: f.field, pointer: f.pointer, layer, inShape: shape, outShape: out, ...(wired.inputs ? { inputs: wired.inputs } : {}) });
    wiring.produced(f, kept, wired.sources, out);
    shape = out;
  });

  const readout = (spec.readout ?? SPEC_DEFAULTS.readout) as ReadoutMode;
  return {
    name: spec.name,
    className: pascalCase(spec.name),
    description: spec.description ?? '',
    timesteps: spec.timesteps,
    encoding: spec.input.encoding ?? SPEC_DEFAULTS.encoding,
    encoderOptions: spec.input.encoderOptions ?? {},
    inputShape: [...spec.input.shape],
    outputShape: shape,
    readout,
    seed: spec.training?.seed ?? SPEC_DEFAULTS.seed,
    neuron,
    norm,
    nodes,
  };
}
