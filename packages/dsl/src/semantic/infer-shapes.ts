import { registry as defaultRegistry, type Registry } from '@deepspike/core';
import type { Conv2DLayer, Layer, ModelSpec, PoolLayer, ResidualLayer, Size2, SpikformerBlockLayer, SpikformerPatchSplitLayer } from '../generated/model-spec.js';
import { DslError, type DslProblem } from '../errors.js';
import { messages } from '../messages.js';
import { graphInput, topLevelNames } from './layer-inputs.js';

/** Shape of one sample at some point of the network, without the leading `[T, N]`: `[H, W, C]` or `[C]`. */
export type SampleShape = readonly number[];

/** The input and output shapes of one layer as the network runs it. */
export interface LayerShape {
  /** JSON pointer of the layer in the spec, e.g. `/layers/3/layers/1` (the same for every repeat copy). */
  readonly path: string;
  /** The layer's `type`. */
  readonly type: string;
  /** The layer's `name`, when the spec gives one. */
  readonly name?: string;
  /** Copy index of each enclosing `repeat`, outermost first (`[]` outside repeats). */
  readonly copies: readonly number[];
  /** `[H, W, C]` or `[C]` the layer receives (per time step and sample). */
  readonly input: SampleShape;
  /** `[H, W, C]` or `[C]` it produces. */
  readonly output: SampleShape;
}

/** The shapes through a whole network. */
export interface ShapeReport {
  /** `input.shape` of the spec. */
  readonly input: SampleShape;
  /** Shape of the last layer's output (`[classes]` for a classifier). */
  readonly output: SampleShape;
  /** Every layer in execution order, `repeat` groups unrolled (residual blocks are one entry each). */
  readonly layers: readonly LayerShape[];
}

/** A shape problem before positions are attached. */
export interface ShapeIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A plugin layer entry may tell its output shape; layers whose entry does not are taken to keep the
 * shape (like norms, neurons and dropout).
 */
interface ShapedLayerEntry {
  outputShape?(options: Readonly<Record<string, unknown>>, input: SampleShape): SampleShape;
}

function pair(size: Size2 | undefined, fallback: readonly [number, number]): [number, number] {
  if (size === undefined) return [fallback[0], fallback[1]];
  return typeof size === 'number' ? [size, size] : [size[0], size[1]];
}

/**
 * Output size along one axis of a sliding window, or an issue. `pad` is "same", "valid" or a number
 * of zeros on each side. With explicit or no padding the window must fit and the stride must leave
 * no real input row unused: (in + 2p - k) mod s <= p.
 */
function slide(type: string, axis: string, size: number, window: number, stride: number, pad: string | number, issues: ShapeIssue[]): number | null {
  if (pad === 'same') return Math.ceil(size / stride);
  const p = typeof pad === 'number' ? pad : 0;
  if (size + 2 * p < window) {
    issues.push({ path: 'window', message: messages.windowTooLarge(type, [window], [size + 2 * p]) });
    return null;
  }
  const rest = (size + 2 * p - window) % stride;
  if (rest > p) {
    issues.push({ path: 'stride', message: messages.strideDoesNotDivide(type, axis, size, window, stride, p, rest - p) });
    return null;
  }
  return Math.floor((size + 2 * p - window) / stride) + 1;
}

/** The path of `prop` of the layer at `where` when the layer spells it out, else the layer's. */
function at(where: string, layer: object, prop: string): string {
  return prop in layer ? `${where}/${prop}` : where;
}

function spatial(where: string, layer: Conv2DLayer | PoolLayer, shape: SampleShape, kernel: [number, number], stride: [number, number], pad: string | number, issues: ShapeIssue[], channels: number): SampleShape | null {
  const type = layer.type;
  if (shape.length !== 3) {
    issues.push({ path: where, message: messages.needsSpatial(type, shape) });
    return null;
  }
  const windowPath = at(where, layer, type === 'conv2d' ? 'kernel' : 'size');
  const stridePath = at(where, layer, 'stride');
  const sink: ShapeIssue[] = [];
  const [hs, ws] = [shape[0] as number, shape[1] as number];
  // A square input with a square window and stride gets one message for both axes.
  const square = hs === ws && kernel[0] === kernel[1] && stride[0] === stride[1];
  const h = slide(type, square ? 'height and width' : 'height', hs, kernel[0], stride[0], pad, sink);
  const w = square ? h : slide(type, 'width', ws, kernel[1], stride[1], pad, sink);
  for (const i of sink) issues.push({ path: i.path === 'window' ? windowPath : stridePath, message: i.message });
  if (h === null || w === null) return null;
  return [h, w, channels];
}

function residual(where: string, layer: ResidualLayer, shape: SampleShape, issues: ShapeIssue[]): SampleShape | null {
  if (shape.length !== 3) {
    issues.push({ path: where, message: messages.needsSpatial('residual', shape) });
    return null;
  }
  const stride = layer.stride ?? 1;
  const channels = (layer.block ?? 'basic') === 'bottleneck' ? layer.filters * (layer.expansion ?? 4) : layer.filters;
  // Every conv of the block pads "same", so only the strided one changes H and W.
  const out = [Math.ceil((shape[0] as number) / stride), Math.ceil((shape[1] as number) / stride), channels];
  if ((layer.shortcut ?? 'identity') === 'identity' && (stride !== 1 || channels !== shape[2])) {
    issues.push({ path: at(where, layer, 'shortcut'), message: messages.residualMismatch(shape, out) });
    return null;
  }
  return out;
}

/** Spikformer's patch splitting: H halved by a 3x3/2 max pool with padding 1, `pools` times; `embed` channels. */
function patchSplit(where: string, layer: SpikformerPatchSplitLayer, shape: SampleShape, issues: ShapeIssue[]): SampleShape | null {
  if (shape.length !== 3) {
    issues.push({ path: where, message: messages.needsSpatial('spikformerPatchSplit', shape) });
    return null;
  }
  const halve = (n: number): number => {
    for (let i = 0; i < (layer.pools ?? 2); i++) n = Math.floor((n - 1) / 2) + 1;
    return n;
  };
  return [halve(shape[0] as number), halve(shape[1] as number), layer.embed];
}

function spikformerBlock(where: string, layer: SpikformerBlockLayer, shape: SampleShape, issues: ShapeIssue[]): SampleShape | null {
  if (shape.length !== 3) {
    issues.push({ path: where, message: messages.needsSpatial('spikformerBlock', shape) });
    return null;
  }
  const channels = shape[2] as number;
  if (channels % layer.heads !== 0) {
    issues.push({ path: at(where, layer, 'heads'), message: messages.headsDivide(channels, layer.heads) });
    return null;
  }
  return shape;
}

function step(where: string, layer: Layer, shape: SampleShape, issues: ShapeIssue[], registry: Registry): SampleShape | null {
  switch (layer.type) {
    case 'conv2d': {
      const c = layer as Conv2DLayer;
      return spatial(where, c, shape, pair(c.kernel, [1, 1]), pair(c.stride, [1, 1]), c.padding ?? 'same', issues, c.filters);
    }
    case 'pool': {
      const p = layer as PoolLayer;
      const size = pair(p.size, [2, 2]);
      return spatial(where, p, shape, size, pair(p.stride, size), p.padding ?? 'valid', issues, shape[2] as number);
    }
    case 'linear':
      if (shape.length !== 1) {
        issues.push({ path: where, message: messages.needsFlat('linear', shape) });
        return null;
      }
      return [layer.units];
    case 'globalAvgPool':
      if (shape.length !== 3) {
        issues.push({ path: where, message: messages.needsSpatial('globalAvgPool', shape) });
        return null;
      }
      return [shape[2] as number];
    case 'flatten':
      return [shape.reduce((a, b) => a * b, 1)];
    case 'residual':
      return residual(where, layer, shape, issues);
    case 'spikformerPatchSplit':
      return patchSplit(where, layer, shape, issues);
    case 'spikformerBlock':
      return spikformerBlock(where, layer, shape, issues);
    case 'norm':
    case 'neuron':
    case 'dropout':
      return shape;
    default: {
      const type = (layer as { type: string }).type;
      const entry = registry.has('layer', type) ? (registry.get('layer', type) as ShapedLayerEntry) : undefined;
      return entry?.outputShape ? [...entry.outputShape(layer as unknown as Record<string, unknown>, shape)] : shape;
    }
  }
}

/**
 * Walks the layers, shape by shape. Stops at the first layer whose shape cannot be computed (the
 * layers after it would only repeat the consequence); `issues` gets what is wrong.
 */
export function propagateShapes(spec: ModelSpec, registry: Registry = defaultRegistry): { report: ShapeReport; issues: ShapeIssue[] } {
  const issues: ShapeIssue[] = [];
  const layers: LayerShape[] = [];
  const input = [...spec.input.shape];
  // Graph-shaped networks: a top-level layer's `inputs` names earlier layers whose outputs are summed.
  const outputs = new Map<string, SampleShape>([['input', input]]);
  const later = new Set(topLevelNames(spec.layers));
  const walk = (list: readonly Layer[], base: string, copies: readonly number[], shape: SampleShape): SampleShape | null => {
    let current = shape;
    const top = base === '/layers';
    for (let i = 0; i < list.length; i++) {
      const layer = list[i] as Layer;
      const where = `${base}/${i}`;
      if (layer.type === 'repeat') {
        for (let c = 0; c < layer.times; c++) {
          const next = walk(layer.layers, `${where}/layers`, [...copies, c], current);
          if (next === null) return null;
          current = next;
        }
        continue;
      }
      if (!top && 'inputs' in layer) {
        issues.push({ path: `${where}/inputs`, message: messages.inputsInRepeat() });
        return null;
      }
      const received = top ? graphInput(where, layer, current, outputs, later, issues) : current;
      if (received === null) return null;
      if (layer.type === 'neuron' && layer.recurrent !== undefined && received.length !== 1) {
        issues.push({ path: `${where}/recurrent`, message: messages.recurrentNeedsFlat(received) });
        return null;
      }
      const next = step(where, layer, received, issues, registry);
      if (next === null) return null;
      layers.push({ path: where, type: layer.type, ...(layer.name === undefined ? {} : { name: layer.name }), copies, input: received, output: next });
      if (top && layer.name !== undefined) {
        later.delete(layer.name);
        outputs.set(layer.name, next);
      }
      current = next;
    }
    return current;
  };
  let output: SampleShape = input;
  if (input.length === 2) issues.push({ path: '/input/shape', message: messages.inputRank(input) });
  else output = walk(spec.layers, '/layers', [], input) ?? output;
  return { report: { input, output, layers }, issues };
}

/**
 * The input and output shape of every layer of a (schema-valid) spec, `repeat` groups unrolled.
 * Conv and pool sizes follow TensorFlow: "same" gives ceil(in/stride), explicit padding p gives
 * floor((in + 2p - k)/stride) + 1; residual blocks pad their convolutions "same".
 * @param spec a spec that passed the schema (e.g. from {@link validateModel})
 * @throws DslError listing every shape that does not propagate (without source positions)
 */
export function inferShapes(spec: ModelSpec, options: { registry?: Registry; file?: string } = {}): ShapeReport {
  const { report, issues } = propagateShapes(spec, options.registry);
  if (issues.length > 0) {
    const file = options.file ?? `<${spec.name}>`;
    const problems: DslProblem[] = issues.map((i) => ({ file, path: i.path, line: 0, column: 0, message: i.message }));
    throw new DslError(file, problems);
  }
  return report;
}
