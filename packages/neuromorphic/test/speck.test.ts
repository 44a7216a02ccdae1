import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exportSpeck, GraphError, quantizeGraph, speckConfig, speckCoreMemory, SPECK_CORE_MEMORY, SPECK_THRESHOLD_LOW,
  type ConvNode, type GraphEdge, type GraphNode, type HardwareGraph, type LinearNode, type PopulationNode, type QuantizedGraph,
} from '../src/index.js';
import { conv, lif, lin, rng } from './helpers.js';

const ifPop = (name: string, shape: number[], vth = 0.5, extra: Partial<PopulationNode> = {}): PopulationNode => lif(name, shape, 1, vth, { model: 'if', ...extra });
const chain = (nodes: GraphNode[]): HardwareGraph => ({
  name: 'speck-chain', nodes, edges: nodes.slice(1).map((n, i) => ({ from: (nodes[i] as GraphNode).name, to: n.name })) as GraphEdge[], metadata: { T: 4 },
});

/** input 8x8x1 -> conv 3x3 (4) -> IF -> sum pool 2 -> conv 3x3 (6) -> IF -> pool 2 -> flatten (hwc) -> linear 24->5 -> IF: three cores. */
function speckNet(seed = 1, extra: { pop1?: Partial<PopulationNode>; pool1?: Partial<GraphNode> } = {}): HardwareGraph {
  const r = rng(seed);
  return chain([
    { kind: 'input', name: 'input', shape: [8, 8, 1] },
    conv('conv1', 1, 4, 3, r), ifPop('if1', [8, 8, 4], 0.5, extra.pop1),
    { kind: 'pool', name: 'pool1', mode: 'sum', kernel: [2, 2], stride: [2, 2], padding: [0, 0], ...(extra.pool1 ?? {}) } as GraphNode,
    conv('conv2', 4, 6, 3, r), ifPop('if2', [4, 4, 6]),
    { kind: 'pool', name: 'pool2', mode: 'sum', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'flatten', name: 'flat', order: 'hwc' },
    lin('fc', 2 * 2 * 6, 5, r), ifPop('if3', [5]),
    { kind: 'output', name: 'output', shape: [5] },
  ]);
}
const quant = (g: HardwareGraph): QuantizedGraph => quantizeGraph(g, { bits: 8, scheme: 'common', stateBits: 16 });
const nodeOf = <T>(q: QuantizedGraph, name: string): T => q.graph.nodes.find((n) => n.name === name) as T;
const expectRefusal = (f: () => unknown, re: RegExp): void => {
  expect(f).to.throw(GraphError, re);
};

describe('Speck / DYNAP-CNN configuration (sinabs DynapcnnNetwork / samna DynapcnnConfiguration fields)', () => {
  it('writes one core per layer with dimensions, weights [out][in][x][y], biases, thresholds, initial states and chained destinations', () => {
    const q = quant(speckNet());
    const cfg = speckConfig(q, { model: 'tiny' });
    expect([cfg.format, cfg.version, cfg.chip, cfg.model]).to.deep.equal(['deepspike-speck-config', 1, 'speck', 'tiny']);
    expect(cfg.cnn_layers).to.have.length(9);
    const used = cfg.cnn_layers.filter((c) => c !== null);
    expect(used.map((c) => c?.nodes)).to.have.deep.members([['conv1', 'if1', 'pool1'], ['conv2', 'if2', 'pool2'], ['fc', 'if3']]);
    cfg.cnn_layers.forEach((c, i) => c && expect(c.core, 'cnn_layers is indexed by core').to.equal(i));
    const [c1, c2, c3] = ['conv1', 'conv2', 'fc'].map((n) => used.find((c) => c?.nodes[0] === n)) as NonNullable<(typeof used)[number]>[];
    // memory: conv1 1 * 2^4 * 2^2 = 64 kernel words, 4 * 8 * 8 = 256 neuron words
    expect(c1.memory).to.deep.include({ kernel: 64, neuron: 256, bias: 4 });
    expect(c1.dimensions).to.deep.equal({ input_shape: { size: { x: 8, y: 8 }, feature_count: 1 }, output_shape: { size: { x: 8, y: 8 }, feature_count: 4 }, padding: { x: 1, y: 1 }, stride: { x: 1, y: 1 }, kernel_size: 3 });
    expect(c2.dimensions).to.deep.equal({ input_shape: { size: { x: 4, y: 4 }, feature_count: 4 }, output_shape: { size: { x: 4, y: 4 }, feature_count: 6 }, padding: { x: 1, y: 1 }, stride: { x: 1, y: 1 }, kernel_size: 3 });
    // the linear layer is a 2x2 conv over the pooled 2x2x6 map, on a 1x1 output
    expect(c3.dimensions).to.deep.equal({ input_shape: { size: { x: 2, y: 2 }, feature_count: 6 }, output_shape: { size: { x: 1, y: 1 }, feature_count: 5 }, padding: { x: 0, y: 0 }, stride: { x: 1, y: 1 }, kernel_size: 2 });
    // weights: graph HWIO (ky, kx, in, out) -> [out][in][x][y]
    const w1 = nodeOf<ConvNode>(q, 'conv1').weight;
    for (const [o, i, x, y] of [[0, 0, 0, 0], [3, 0, 2, 0], [1, 0, 0, 2], [2, 0, 1, 2]] as const) expect(c1.weights[o]?.[i]?.[x]?.[y], `w1[${o}][${i}][${x}][${y}]`).to.equal(w1[((y * 3 + x) * 1 + i) * 4 + o]);
    const w2 = nodeOf<ConvNode>(q, 'conv2').weight;
    expect(c2.weights[5]?.[3]?.[2]?.[1]).to.equal(w2[((1 * 3 + 2) * 4 + 3) * 6 + 5]);
    // fc: row (y*W + x)*C + c of the hwc flatten -> [out][c][x][y]
    const wf = nodeOf<LinearNode>(q, 'fc').weight;
    expect(c3.weights[4]?.[5]?.[1]?.[0]).to.equal(wf[((0 * 2 + 1) * 6 + 5) * 5 + 4]);
    expect(c3.weights[2]?.[0]?.[0]?.[1]).to.equal(wf[((1 * 2 + 0) * 6 + 0) * 5 + 2]);
    for (const c of used) for (const a of c?.weights.flat(3) ?? []) expect(Number.isInteger(a) && a >= -128 && a <= 127).to.equal(true);
    // thresholds, biases, leak, reset, states
    expect(c1.threshold_high).to.equal(nodeOf<PopulationNode>(q, 'if1').threshold);
    expect(c1.threshold_high).to.be.greaterThan(0);
    expect(c1.threshold_low).to.equal(SPECK_THRESHOLD_LOW);
    expect(c1.biases).to.deep.equal(Array.from(nodeOf<ConvNode>(q, 'conv1').bias as Float32Array));
    expect(c1.leak_enable).to.equal(c1.biases.some((b) => b !== 0));
    expect([c1.return_to_zero, c1.monitor_enable, c3.monitor_enable]).to.deep.equal([true, false, true]);
    expect(c1.neurons_initial_value).to.have.length(4);
    expect(c1.neurons_initial_value[0]).to.have.length(8);
    expect(c1.neurons_initial_value.flat(2).every((v) => v === 0)).to.equal(true);
    // destinations: the next core with this core's pooling, then a disabled second one; the output core sends nowhere
    expect(c1.destinations).to.deep.equal([{ layer: c2.core, enable: true, pooling: 2, feature_shift: 0 }, { layer: 0, enable: false, pooling: 1, feature_shift: 0 }]);
    expect(c2.destinations[0]).to.deep.equal({ layer: c3.core, enable: true, pooling: 2, feature_shift: 0 });
    expect(c3.destinations[0].enable).to.equal(false);
    expect([cfg.inputCore, cfg.outputCore]).to.deep.equal([c1.core, c3.core]);
    // each layer sits on a core whose memories hold it (sinabs get_constraints)
    for (const c of used) {
      const kind = SPECK_CORE_MEMORY[c?.core as number];
      expect(c?.memory.kernel).to.be.at.most(kind?.kernelMemory as number);
      expect(c?.memory.neuron).to.be.at.most(kind?.neuronMemory as number);
    }
  });

  it('writes the file; a subtractive reset clears return_to_zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'speck-'));
    try {
      const g = speckNet(2, { pop1: { reset: 'subtract' } });
      const file = join(dir, 'net.speck.json');
      const cfg = exportSpeck(quant(g), file);
      const back = JSON.parse(readFileSync(file, 'utf8')) as typeof cfg;
      expect(back).to.deep.equal(JSON.parse(JSON.stringify(cfg)));
      expect(back.cnn_layers.find((c) => c?.nodes[0] === 'conv1')?.return_to_zero).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the memory formula is the vendor example: conv 16 -> 32, 3x3 on 64x64 needs 8192 kernel and 131072 neuron words', () => {
    expect(speckCoreMemory(16, 32, 9, 64, 64)).to.deep.equal({ kernel: 8192, neuron: 131072 });
  });

  it('refuses what Speck cannot hold, naming the node and the fix', () => {
    const r = rng(3);
    expectRefusal(() => speckConfig(quant(speckNet(1, { pop1: { decay: 0.5, model: 'lif' } }))), /node "if1" leaks \(decay 0.5\).*train IF neurons/);
    expectRefusal(() => speckConfig(quant(speckNet(1, { pool1: { mode: 'max' } as Partial<GraphNode> }))), /node "pool1" is a max pool 2x2/);
    // a membrane readout (linear into the output)
    const readout = chain([{ kind: 'input', name: 'input', shape: [4, 4, 1] }, conv('c', 1, 2, 3, r), ifPop('n', [4, 4, 2]), { kind: 'flatten', name: 'f', order: 'hwc' }, lin('fc', 32, 3, r), { kind: 'output', name: 'output', shape: [3] }]);
    expectRefusal(() => speckConfig(quant(readout)), /node "fc" feeds the output directly \(a non-spiking membrane readout\).*readout "rate"/);
    // ten layers for nine cores
    const deep: GraphNode[] = [{ kind: 'input', name: 'input', shape: [4, 4, 1] }];
    for (let i = 0; i < 10; i++) deep.push(conv(`c${i}`, i === 0 ? 1 : 2, 2, 3, r), ifPop(`n${i}`, [4, 4, 2]));
    deep.push({ kind: 'output', name: 'output', shape: [4, 4, 2] });
    expectRefusal(() => speckConfig(quant(chain(deep))), /needs 10 cores .* at most 9 conv\/linear layers/);
    // a map too large for any core's neuron memory: 32 channels on 64x64 = 131072 words > 65536
    const big = chain([{ kind: 'input', name: 'input', shape: [64, 64, 1] }, conv('wide', 1, 32, 3, r), ifPop('n', [64, 64, 32]), { kind: 'output', name: 'output', shape: [64, 64, 32] }]);
    expectRefusal(() => speckConfig(quant(big)), /node "wide" needs 512 kernel-memory and 131072 neuron-memory words.*no core holds that/);
    // four layers that each need one of the three 64K-neuron cores
    const four: GraphNode[] = [{ kind: 'input', name: 'input', shape: [64, 64, 1] }];
    for (let i = 0; i < 4; i++) four.push(conv(`m${i}`, i === 0 ? 1 : 16, 16, 3, r), ifPop(`p${i}`, [64, 64, 16]));
    four.push({ kind: 'output', name: 'output', shape: [64, 64, 16] });
    expectRefusal(() => speckConfig(quant(chain(four))), /node "m3" needs 4096 kernel-memory and 65536 neuron-memory words.*only cores 0, 1, 2 hold it and other layers need them/);
    expectRefusal(() => speckConfig(quantizeGraph(speckNet(), { bits: 10, scheme: 'common', stateBits: 16 })), /quantised to 10-bit weights/);
  });
});
