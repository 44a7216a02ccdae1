import { dataSync } from './tensor-data.js';
import {
  Alpha, BasicBlock, Bottleneck, Conv2d, CubaLIF, DeepSpikeError, Lapicque, PSN, Dropout, Flatten, GlobalAvgPool, IF, Layer, LIF, Linear, MsBlock, NeuronLayer, outputSize, PLIF, Pool, RecurrentNeuron, Sequential, SewBlock, SpikformerBlock,
  type Padding,
} from '@deepspike/core';
import type { AffineNode, ConvNode, GraphEdge, GraphNode, HardwareGraph, PopulationNode } from '../graph/types.js';
import { messages } from '../messages.js';
import { checkHardwareNeuron, describesHardware } from '../graph/hardware-neuron.js';

/** Where a node's input comes from: one node, or several whose outputs are summed. */
type From = string | readonly string[];
const fromList = (f: From): readonly string[] => (typeof f === 'string' ? [f] : f);

/** What the converter needs to know about the model besides its layers. */
export interface ModelGraphOptions {
  /** Per-sample input shape `[H, W, C]` (channels last). */
  readonly inputShape: readonly number[];
  readonly timesteps: number;
  /** `membrane`/`tet`: the output node sums the last linear layer; `rate`: it sums the last spikes. */
  readonly readout?: 'membrane' | 'rate' | 'tet';
  /** Graph name (default the model's name). */
  readonly name?: string;
  /** Filled with the population name of every neuron layer (to compare spikes layer by layer). */
  readonly populations?: Map<Layer, string>;
}

/** A norm layer that exposes its inference-mode per-channel map (tdBN's `foldingFactors()`). */
interface FoldableLayer extends Layer {
  foldingFactors(): { scale: Float32Array; shift: Float32Array };
}

const isFoldable = (l: Layer): l is FoldableLayer => typeof (l as unknown as { foldingFactors?: unknown }).foldingFactors === 'function';
/** A norm of the membrane potential (MPBN, @deepspike/tdbn): in inference, per-channel thresholds on u of the neuron it runs in. */
interface MembraneNormLayer extends Layer {
  foldedThresholds(vth: number): Float64Array;
  readonly lambda: { dataSync(): ArrayLike<number> };
}
const isMembraneNorm = (l: Layer): l is MembraneNormLayer => typeof (l as unknown as { foldedThresholds?: unknown }).foldedThresholds === 'function';

/** tf.js padding -> `[top, left]` and `[bottom, right]` for an input size, kernel, stride, dilation. */
export function tfPadding(p: Padding, size: readonly [number, number], k: readonly [number, number], s: readonly [number, number]): { start: [number, number]; end: [number, number] } {
  if (p === 'valid') return { start: [0, 0], end: [0, 0] };
  if (typeof p === 'number') return { start: [p, p], end: [p, p] };
  const start: [number, number] = [0, 0];
  const end: [number, number] = [0, 0];
  for (const i of [0, 1] as const) {
    const out = Math.ceil(size[i] / s[i]);
    const total = Math.max((out - 1) * s[i] + k[i] - size[i], 0);
    start[i] = Math.floor(total / 2);
    end[i] = total - start[i];
  }
  return { start, end };
}

/**
 * Converts a spiking model (core layers: Conv2d, Linear, norms with `foldingFactors()`, LIF/IF/PLIF,
 * Pool, GlobalAvgPool, Flatten, Dropout, Sequential, BasicBlock, Bottleneck, SewBlock with ADD, MsBlock) into an unfolded hardware
 * graph: each norm becomes a per-channel affine node (inference mode), each neuron layer a population
 * (`decay = tau`, `threshold = Vth`, reset to 0, `u >= Vth`; a neuron with a `hardwareNeuron()` method,
 * such as a plugin's adaptive LIF, as it describes itself, threshold adaptation included — see
 * `HardwareDescribedNeuron`), a residual add two edges into the
 * block's last population. Node names are the models' parameter prefixes (`stage1.conv1`).
 * Run {@link foldGraph} next. Weights are read from the model (load a checkpoint first).
 * @throws DeepSpikeError naming a layer type the hardware graph cannot express, or a neuron whose
 *   hardware description is out of range
 * long-function: one walk over the core layer classes, a case each, sharing the cursor of the current node and shape.
 */
export function modelToGraph(model: Layer, options: ModelGraphOptions): HardwareGraph {
  const nodes: GraphNode[] = [{ kind: 'input', name: 'input', shape: [...options.inputShape] }];
  const edges: GraphEdge[] = [];
  let lastLinear: string | null = null;
  let lastPop: string | null = null;
  const add = (n: GraphNode, from: string | readonly string[]): string => {
    nodes.push(n);
    for (const f of typeof from === 'string' ? [from] : from) edges.push({ from: f, to: n.name });
    return n.name;
  };
  const conv = (c: Conv2d, name: string, from: From, shape: readonly number[]): [string, number[]] => {
    const [h, w] = shape as [number, number, number];
    const pad = tfPadding(c.padding, [h, w], c.kernelSize, c.stride);
    const node: ConvNode = {
      kind: 'conv', name, weight: Float32Array.from(dataSync(c.kernel)), kernel: [...c.kernelSize] as [number, number], inChannels: c.inChannels, outChannels: c.filters,
      bias: c.bias ? Float32Array.from(dataSync(c.bias)) : null, stride: [...c.stride] as [number, number], padding: pad.start,
      ...(pad.end[0] !== pad.start[0] || pad.end[1] !== pad.start[1] ? { padEnd: pad.end } : {}), dilation: [1, 1], groups: 1,
    };
    const out = [outputSize(h, c.kernelSize[0], c.stride[0], c.padding), outputSize(w, c.kernelSize[1], c.stride[1], c.padding), c.filters];
    return [add(node, from), out];
  };
  const norm = (l: FoldableLayer, name: string, from: From): string => {
    const { scale, shift } = l.foldingFactors();
    const a: AffineNode = { kind: 'affine', name, scale: Float64Array.from(scale), shift: Float64Array.from(shift) };
    return add(a, from);
  };
  /** An MPBN waiting for the neuron it folds into. */
  let membraneNorm: { layer: MembraneNormLayer; name: string } | null = null;
  const neuron = (l: Layer, name: string, from: string | readonly string[], shape: readonly number[]): string => {
    let decay: number;
    let vth: number;
    let gain = 1;
    let adaptation: PopulationNode['adaptation'];
    if (describesHardware(l)) {
      const d = l.hardwareNeuron();
      const bad = checkHardwareNeuron(d);
      if (bad) throw new DeepSpikeError(messages.badHardwareNeuron(name, l.constructor.name, ...bad));
      [decay, vth] = [d.decay, d.threshold];
      if (d.adaptation) adaptation = { beta: d.adaptation.beta, rho: d.adaptation.rho };
    } else if (l instanceof LIF) [decay, vth] = [l.tau, l.vth];
    else if (l instanceof PLIF) [decay, vth] = [l.tau, l.vth];
    else if (l instanceof IF) [decay, vth] = [1, l.vth];
    else if (l instanceof CubaLIF) [decay, vth] = [l.tau, l.vth];
    else if (l instanceof Lapicque) {
      // Reset to zero, u = k*u*(1-o) + g*x, is the population law with gain g (NIR LIF: tau = R*C, r = R).
      if (l.reset !== 'zero') throw new DeepSpikeError(messages.badInput('modelToGraph', name, 'is a Lapicque neuron that resets by subtraction (u = k*u + g*x - vth*o[t-1]), which no NIR/chip population computes', `reset "${l.reset}"`, 'reset "zero" (u = k*u*(1-o) + g*x, NIR LIF with tau = R*C, r = R); retrain with options {"reset": "zero"}'));
      [decay, vth, gain] = [l.factors.k, l.vth, l.factors.g];
    } else if (l instanceof Alpha || l instanceof PSN)
      throw new DeepSpikeError(messages.badInput('modelToGraph', name, `is a ${l.constructor.name} neuron, which has no NIR primitive or chip population (${l instanceof PSN ? 'its [T, T] weight mixes every time step' : 'its membrane is tau_alpha*(e + i) of two currents, not a leaky membrane'})`, l.constructor.name, 'LIF, IF, PLIF, CubaLIF, Lapicque (reset "zero") or a neuron with a hardwareNeuron() method'));
    else throw new DeepSpikeError(messages.badInput('modelToGraph', name, `is a ${l.constructor.name}, which does not describe itself for hardware`, l.constructor.name, 'LIF, IF, PLIF or a neuron with a hardwareNeuron() method (HardwareDescribedNeuron)'));
    let threshold: PopulationNode['threshold'] = vth;
    if (membraneNorm) {
      // MPBN's re-parameterisation: H(lambda*(u - mu)/sqrt(var + eps) + beta - vth) = H(u - vth'[c]) for lambda > 0.
      const lambda = Array.from(membraneNorm.layer.lambda.dataSync());
      const bad = lambda.findIndex((x) => !(x > 0));
      if (bad >= 0) throw new DeepSpikeError(messages.badInput('modelToGraph', membraneNorm.name, `is an MPBN with lambda ${lambda[bad]} on channel ${bad}, which does not fold into a threshold on u`, `lambda ${lambda[bad]}`, 'lambda > 0 on every channel (then the norm is the per-channel threshold (vth - beta)*sqrt(var + eps)/lambda + mean)'));
      threshold = membraneNorm.layer.foldedThresholds(vth);
      membraneNorm = null;
    }
    const p: PopulationNode = {
      kind: 'population', name, model: decay === 1 ? 'if' : 'lif', shape: [...shape], decay, threshold, gain, drive: 0, reset: 'zero', resetValue: 0, strict: false,
      ...(adaptation ? { adaptation } : {}),
      ...(l instanceof CubaLIF ? { synapse: { decay: l.alpha, gain: 1 } } : {}),
    };
    lastPop = name;
    options.populations?.set(l, name);
    return add(p, from);
  };
  /**
   * A neuron fed back its previous spikes: the population plus a linear node `<name>.rec` on a cycle
   * (one step on the back edge). The map's bias, which the layer adds at every step (t = 0 too),
   * joins the bias of the one conv/linear layer feeding the population, which is exact.
   */
  const recurrent = (l: RecurrentNeuron, name: string, from: From, shape: readonly number[]): string => {
    const pop = neuron(l.neuron, name, from, shape);
    const rec = `${name}.rec`;
    if (l.rec.bias) {
      const sources = fromList(from);
      const feeder = nodes.find((n) => n.name === sources[0]);
      const only = sources.length === 1 && feeder?.kind === 'linear' && edges.filter((e) => e.from === feeder.name).length === 1;
      if (!only || !feeder || feeder.kind !== 'linear') throw new DeepSpikeError(messages.badInput('modelToGraph', name, 'has a recurrent bias but is not fed by one linear layer of its own', `inputs ${sources.join(', ')}`, 'a recurrent neuron after a linear layer, or "recurrent": {"bias": false}'));
      const b = dataSync(l.rec.bias);
      const merged = Float32Array.from(feeder.bias ?? new Float32Array(feeder.outFeatures), (x, i) => x + (b[i] as number));
      nodes[nodes.indexOf(feeder)] = { ...feeder, bias: merged };
    }
    add({ kind: 'linear', name: rec, weight: Float32Array.from(dataSync(l.rec.kernel)), inFeatures: l.features, outFeatures: l.features, bias: null }, pop);
    edges.push({ from: rec, to: pop });
    return pop;
  };
  const walk = (l: Layer, name: string, from: From, shape: readonly number[]): [From, readonly number[]] => {
    if (membraneNorm && !(l instanceof NeuronLayer)) throw new DeepSpikeError(messages.badInput('modelToGraph', membraneNorm.name, 'is an MPBN not followed by a neuron layer', `${l.constructor.name} "${name}" after it`, 'the MPBN norm directly before a LIF, IF or PLIF layer'));
    if (isMembraneNorm(l)) {
      membraneNorm = { layer: l, name };
      return [from, shape];
    }
    if (l instanceof Sequential) {
      let cur: [From, readonly number[]] = [from, shape];
      l.layers.forEach((c) => (cur = walk(c, `${name}.${c.name}`, cur[0], cur[1])));
      return cur;
    }
    if (l instanceof Conv2d) return conv(l, name, from, shape);
    if (l instanceof Linear) {
      lastLinear = name;
      return [add({ kind: 'linear', name, weight: Float32Array.from(dataSync(l.kernel)), inFeatures: l.inFeatures, outFeatures: l.units, bias: l.bias ? Float32Array.from(dataSync(l.bias)) : null }, from), [l.units]];
    }
    if (l instanceof NeuronLayer) return [neuron(l, name, from, shape), shape];
    if (l instanceof RecurrentNeuron) return [recurrent(l, name, from, shape), shape];
    if (isFoldable(l)) return [norm(l, name, from), shape];
    if (l instanceof Dropout) return [from, shape];
    if (l instanceof Flatten) return [add({ kind: 'flatten', name, order: 'hwc' }, from), [shape.reduce((a, b) => a * b, 1)]];
    if (l instanceof GlobalAvgPool) {
      const [h, w, c] = shape as [number, number, number];
      const p = add({ kind: 'pool', name, mode: 'avg', kernel: [h, w], stride: [h, w], padding: [0, 0] }, from);
      return [add({ kind: 'flatten', name: `${name}.flatten`, order: 'hwc' }, p), [c]];
    }
    if (l instanceof Pool) {
      const [h, w, c] = shape as [number, number, number];
      const pad = tfPadding(l.padding, [h, w], l.size, l.stride);
      const out = [outputSize(h, l.size[0], l.stride[0], l.padding), outputSize(w, l.size[1], l.stride[1], l.padding), c];
      return [add({ kind: 'pool', name, mode: l.mode, kernel: [...l.size] as [number, number], stride: [...l.stride] as [number, number], padding: pad.start, ...(pad.end[0] !== pad.start[0] || pad.end[1] !== pad.start[1] ? { padEnd: pad.end } : {}) }, from), out];
    }
    // conv -> folded norm -> optional neuron, the steps every block is made of
    const cnn = (c: Conv2d, nm: Layer | null, ne: Layer | null, names: readonly string[], from: From, shape: readonly number[]): [From, readonly number[]] => {
      let cur: [From, readonly number[]] = conv(c, `${name}.${names[0]}`, from, shape);
      if (nm && isFoldable(nm)) cur = [norm(nm, `${name}.${names[1]}`, cur[0]), cur[1]];
      if (ne) cur = [neuron(ne, `${name}.${names[2]}`, cur[0], cur[1]), cur[1]];
      return cur;
    };
    if (l instanceof SpikformerBlock) throw new DeepSpikeError(messages.badInput('modelToGraph', name, 'is a Spikformer block, whose spiking self-attention multiplies spike matrices (Q·Kᵀ·V), which the hardware graph and NIR have no node for', 'SpikformerBlock', 'convolutional spiking layers (Conv2d, norms, neurons, pools, residual blocks)'));
    if (l instanceof SewBlock) {
      // SEW-ADD: A + S is two edges into whatever comes next (a node sums its inputs); AND/IAND multiply spikes, which no graph node does
      if (l.connect !== 'add') throw new DeepSpikeError(messages.badInput('modelToGraph', name, `is a SEW block with connect function "${l.connect}", a product of two spike trains that the hardware graph and NIR have no node for`, `connect "${l.connect}"`, 'connect "add" (A + S becomes two edges into the next layer)'));
      const a1 = cnn(l.conv1, l.norm1, l.neuron1, ['conv1', 'norm1', 'neuron1'], from, shape);
      const a = cnn(l.conv2, l.norm2, l.neuron2, ['conv2', 'norm2', 'neuron2'], a1[0], a1[1]);
      const sc = l.shortcutConv ? cnn(l.shortcutConv, l.shortcutNorm, l.shortcutNeuron, ['shortcutConv', 'shortcutNorm', 'shortcutNeuron'], from, shape)[0] : from;
      return [[...fromList(a[0]), ...fromList(sc)], a[1]];
    }
    if (l instanceof MsBlock) {
      // membrane shortcut: the block's real-valued input and its last norm are summed into the next neuron
      const n1 = neuron(l.neuron1, `${name}.neuron1`, from, shape);
      const h1 = cnn(l.conv1, l.norm1, l.neuron2, ['conv1', 'norm1', 'neuron2'], n1, shape);
      const h = cnn(l.conv2, l.norm2, null, ['conv2', 'norm2', ''], h1[0], h1[1]);
      const sc = l.shortcutConv ? cnn(l.shortcutConv, l.shortcutNorm, null, ['shortcutConv', 'shortcutNorm', ''], from, shape)[0] : from;
      return [[...fromList(h[0]), ...fromList(sc)], h[1]];
    }
    if (l instanceof BasicBlock || l instanceof Bottleneck) {
      const parts: [Conv2d, Layer | null, Layer | null][] = l instanceof BasicBlock
        ? [[l.conv1, l.norm1, l.neuron1], [l.conv2, l.norm2, null]]
        : [[l.conv1, l.norm1, l.neuron1], [l.conv2, l.norm2, l.neuron2], [l.conv3, l.norm3, null]];
      const names = l instanceof BasicBlock ? [['conv1', 'norm1', 'neuron1'], ['conv2', 'norm2', '']] : [['conv1', 'norm1', 'neuron1'], ['conv2', 'norm2', 'neuron2'], ['conv3', 'norm3', '']];
      let cur: [From, readonly number[]] = [from, shape];
      parts.forEach(([c, nm, ne], i) => {
        const [cn, nn, en] = names[i] as [string, string, string];
        cur = conv(c, `${name}.${cn}`, cur[0], cur[1]);
        if (nm && isFoldable(nm)) cur = [norm(nm, `${name}.${nn}`, cur[0]), cur[1]];
        if (ne) cur = [neuron(ne, `${name}.${en}`, cur[0], cur[1]), cur[1]];
      });
      let sc: From = from;
      if (l.shortcutConv) {
        sc = conv(l.shortcutConv, `${name}.shortcutConv`, from, shape)[0];
        if (l.shortcutNorm && isFoldable(l.shortcutNorm)) sc = norm(l.shortcutNorm, `${name}.shortcutNorm`, sc);
      }
      const last = l instanceof BasicBlock ? l.neuron2 : l.neuron3;
      const lastName = l instanceof BasicBlock ? 'neuron2' : 'neuron3';
      return [neuron(last, `${name}.${lastName}`, [...fromList(cur[0]), ...fromList(sc)], cur[1]), cur[1]];
    }
    throw new DeepSpikeError(messages.badInput('modelToGraph', name, `is a ${l.constructor.name}, which the hardware graph cannot express`, l.constructor.name, 'Conv2d, Linear, a norm with foldingFactors(), LIF/IF/PLIF or a neuron with hardwareNeuron(), Pool, GlobalAvgPool, Flatten, Dropout, Sequential, BasicBlock, Bottleneck, SewBlock (connect add) or MsBlock'));
  };
  const layers = (model as { layers?: ReadonlyMap<string, Layer> }).layers;
  const children: [string, Layer][] = layers instanceof Map ? [...layers] : [...model.childLayers()].filter(([, c]) => c.constructor.name !== 'Readout');
  // Graph-shaped models (a plan whose nodes name their inputs): a layer sums the outputs it names.
  const planNodes = (model as { plan?: { nodes?: readonly { field: string; inputs?: readonly string[] }[] } }).plan?.nodes;
  const wiring = new Map((planNodes ?? []).map((n) => [n.field, n.inputs]));
  const produced = new Map<string, [From, readonly number[]]>([['input', ['input', options.inputShape]]]);
  let cur: [From, readonly number[]] = ['input', options.inputShape];
  for (const [n, c] of children) {
    const named = wiring.get(n);
    if (named) {
      const srcs = named.map((f) => produced.get(f) as [From, readonly number[]]);
      cur = [srcs.flatMap((x) => fromList(x[0])), (srcs[0] as [From, readonly number[]])[1]];
    }
    cur = walk(c, n, cur[0], cur[1]);
    produced.set(n, cur);
  }
  const readout = options.readout ?? 'membrane';
  const src = readout === 'rate' ? lastPop : lastLinear ?? (fromList(cur[0])[0] as string);
  const srcNode = nodes.find((n) => n.name === src);
  const outShape = srcNode?.kind === 'population' ? srcNode.shape : srcNode?.kind === 'linear' ? [srcNode.outFeatures] : cur[1];
  nodes.push({ kind: 'output', name: 'output', shape: [...outShape] });
  edges.push({ from: src ?? (fromList(cur[0])[0] as string), to: 'output' });
  return { name: options.name ?? model.name, nodes, edges, metadata: { T: options.timesteps, readout } };
}
