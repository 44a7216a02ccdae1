import { expect } from 'chai';
import { conv2d, evaluationOrder, flatten, GraphError, pool2d, simulateFloat, validateGraph, type HardwareGraph } from '../src/index.js';
import { lif, lin, residualNet } from './helpers.js';

const chain = (k: number, vth: number, extra = {}): HardwareGraph => ({
  name: 'one',
  nodes: [{ kind: 'input', name: 'in', shape: [2] }, lif('p', [2], k, vth, extra), { kind: 'output', name: 'out', shape: [2] }],
  edges: [{ from: 'in', to: 'p' }, { from: 'p', to: 'out' }],
  metadata: {},
});

describe('hardware graph', () => {
  it('infers shapes through conv, residual add, pool, flatten and linear', () => {
    const { shapes } = validateGraph(residualNet());
    expect(shapes.get('conv2')?.out).to.deep.equal([8, 8, 4]);
    expect(shapes.get('pool')?.out).to.deep.equal([4, 4, 4]);
    expect(shapes.get('flat')?.out).to.deep.equal([64]);
    expect(shapes.get('fc')?.out).to.deep.equal([10]);
  });

  it('rejects a dangling edge, naming the missing endpoint', () => {
    const g = residualNet();
    const bad = { ...g, edges: [...g.edges, { from: 'lif1', to: 'ghost' }] };
    expect(() => validateGraph(bad)).to.throw(GraphError, 'edge lif1 -> ghost names node "ghost", got no such node');
  });

  it('rejects two inputs of different shapes into one population', () => {
    const g = residualNet();
    const bad = { ...g, edges: [...g.edges, { from: 'pool', to: 'lif2' }] };
    expect(() => validateGraph(bad)).to.throw(GraphError, 'node "lif2" receives shape [4,4,4] from "pool"');
  });

  it('rejects a wrong weight length and a wrong per-channel parameter length', () => {
    const g = residualNet();
    const fc = g.nodes.find((n) => n.name === 'fc');
    const bad = { ...g, nodes: g.nodes.map((n) => (n === fc ? { ...lin('fc', 64, 10, () => 0.5), weight: new Float32Array(630) } : n)) };
    expect(() => validateGraph(bad)).to.throw(GraphError, 'node "fc" has a weight of the wrong length, got 630; expected 640 (= in*out)');
    const small = { ...g, nodes: g.nodes.map((n) => (n === fc ? lin('fc', 63, 10, () => 0.5) : n)) };
    expect(() => validateGraph(small)).to.throw(GraphError, 'node "fc" receives a tensor of the wrong size, got [64]; expected [63]');
    const bad2 = chain(0.5, 1, { threshold: Float64Array.of(1, 2, 3) });
    expect(() => validateGraph(bad2)).to.throw(GraphError, 'parameter threshold has length 3, got 3; expected 1, 2 (per channel) or 2 (per neuron)');
  });

  it('runs the STBP LIF recurrence u[t] = k*u[t-1]*(1-o[t-1]) + x[t] (hand-computed)', () => {
    // k = 0.5, Vth = 1; x = 0.6 every step for neuron 0, 1.0 for neuron 1
    // neuron 0: u = 0.6, 0.9, 1.05 (spike), 0.6, 0.9 ; neuron 1: 1 (spike, >= counts), 1, 1, 1, 1
    const r = simulateFloat(chain(0.5, 1), { in: [0.6, 1.0] }, { steps: 5, recordOutputs: true, recordMembranes: true });
    expect(r.membranes.p?.map((u) => Number((u[0] as number).toFixed(6)))).to.deep.equal([0.6, 0.9, 1.05, 0.6, 0.9]);
    expect(r.outputs.out?.map((o) => Array.from(o))).to.deep.equal([[0, 1], [0, 1], [1, 1], [0, 1], [0, 1]]);
    expect(r.spikeCounts.p).to.equal(6);
  });

  it('fires strictly above threshold and resets to v_reset for NIR populations', () => {
    const r = simulateFloat(chain(1, 1, { strict: true, resetValue: 0.25 }), { in: [0.5, 1.0] }, { steps: 3, recordMembranes: true });
    // neuron 1: 1 (no spike, strict), 2 (spike -> 0.25), 1.25 (spike)
    expect(Array.from(r.membranes.p?.map((u) => u[1] as number) ?? [])).to.deep.equal([1, 2, 1.25]);
    expect(r.spikeCounts.p).to.equal(2 + 1); // neuron 0: 0.5, 1.0, 1.5 -> one spike
  });

  it('sums a residual add: two edges into one population', () => {
    const g: HardwareGraph = {
      name: 'res',
      nodes: [{ kind: 'input', name: 'in', shape: [1] }, lif('a', [1], 0, 0.5), lif('b', [1], 0.5, 1.5), { kind: 'output', name: 'out', shape: [1] }],
      edges: [{ from: 'in', to: 'a' }, { from: 'in', to: 'b' }, { from: 'a', to: 'b' }, { from: 'b', to: 'out' }],
      metadata: {},
    };
    // x = 1: a spikes every step; b gets 1 + 1 = 2 >= 1.5 each step
    expect(simulateFloat(g, { in: [1] }, { steps: 4 }).spikeCounts.b).to.equal(4);
    // x = 0.4: a never spikes; b: 0.4, 0.6, 0.7, 0.75 -> never
    expect(simulateFloat(g, { in: [0.4] }, { steps: 4 }).spikeCounts.b).to.equal(0);
  });

  it('orders a recurrent graph and delays the back edge by one step', () => {
    const g: HardwareGraph = {
      name: 'rec',
      nodes: [{ kind: 'input', name: 'in', shape: [1] }, lif('p', [1], 0, 0.5), lin('w', 1, 1, () => 0.5, false), { kind: 'output', name: 'out', shape: [1] }],
      edges: [{ from: 'w', to: 'p' }, { from: 'in', to: 'p' }, { from: 'p', to: 'w' }, { from: 'p', to: 'out' }],
      metadata: {},
    };
    const order = evaluationOrder(g);
    expect(order.order.indexOf('p')).to.be.lessThan(order.order.indexOf('w'));
    expect([...order.backEdges].map((e) => `${e.from}->${e.to}`)).to.deep.equal(['w->p']);
    // w = 0.05: input 1 at t=0 only; p spikes at t0; t1 gets 0.05 from the back edge -> no spike
    const r = simulateFloat(g, { in: [[1], [0], [0]] }, { recordOutputs: true });
    expect(r.outputs.out?.map((o) => o[0])).to.deep.equal([1, 0, 0]);
  });

  it('dense conv, pool and flatten agree with hand computation', () => {
    // 3x3 input, 1 channel, 2x2 kernel of ones, no padding -> window sums
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const node = { kind: 'conv' as const, name: 'c', weight: Float32Array.of(1, 1, 1, 1), kernel: [2, 2] as [number, number], inChannels: 1, outChannels: 1, bias: Float32Array.of(0.5), stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
    expect(Array.from(conv2d(node, x, [3, 3, 1], [2, 2, 1]))).to.deep.equal([12.5, 16.5, 24.5, 28.5]);
    // padding 1: corner (0,0) sees only x[0]
    expect(conv2d({ ...node, padding: [1, 1] }, x, [3, 3, 1], [4, 4, 1])[0]).to.equal(1.5);
    const pool = { kind: 'pool' as const, name: 'p', mode: 'max' as const, kernel: [2, 2] as [number, number], stride: [1, 1] as [number, number], padding: [0, 0] as [number, number] };
    expect(Array.from(pool2d(pool, x, [3, 3, 1], [2, 2, 1]))).to.deep.equal([5, 6, 8, 9]);
    // [1, 2, 2] channels-last: (p0: c0=1, c1=2), (p1: c0=3, c1=4) -> chw: 1, 3, 2, 4
    expect(Array.from(flatten('chw', [1, 2, 3, 4], [1, 2, 2]))).to.deep.equal([1, 3, 2, 4]);
  });
});
