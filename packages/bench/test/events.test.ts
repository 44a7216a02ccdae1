import { expect } from 'chai';
import { nativeAvailable, nativeEventKernels } from '@deepspike/backend-native';
import { eventBenchGraph, messages, runEventBench, seeded, spikeInputs, EVENT_NET } from '@deepspike/bench';
import { eventConvGeom, jsEventKernels, prepareIntegerSim, simulateInteger, type ConvNode, type HardwareGraph, type IntSimResult } from '@deepspike/neuromorphic';

const FAST = nativeAvailable() ? 'deepspike-native' : 'cpu';

describe('bench events: event-driven integer inference vs dense float inference', () => {
  it('the benchmark network and its inputs are seeded and fire at the asked rate', () => {
    const a = spikeInputs(2, 0.1, 5);
    expect(a).to.deep.equal(spikeInputs(2, 0.1, 5));
    const ones = a.reduce((n, x) => n + x.reduce((m, v) => m + v, 0), 0);
    expect(ones / (2 * EVENT_NET.h * EVENT_NET.w * EVENT_NET.cin)).to.be.closeTo(0.1, 0.01);
    const g = eventBenchGraph(0.1);
    // Every input spike reaches at most 3x3 taps x 64 output channels.
    const r = simulateInteger(g, { input: a }, { mode: 'event', steps: 2 });
    expect(r.synapticOps).to.be.greaterThan(0);
    expect(r.synapticOps).to.be.at.most(ones * 9 * EVENT_NET.cout + (r.spikeCounts.hidden ?? 0) * EVENT_NET.classes);
  });

  it('runs the four inferences on the same spikes and finds the same output spike counts', async function () {
    this.timeout(120_000);
    const r = await runEventBench({ rates: [0.05, 0.2], steps: 2, samples: 1, batch: 2, backend: FAST });
    expect(r.rows.map((x) => x.inputRate)).to.deep.equal([0.05, 0.2]);
    for (const x of r.rows) {
      expect(x.agree, `rate ${x.inputRate}`).to.equal(true);
      expect(x.hiddenRate).to.be.within(0.001, 0.5);
      expect(x.synapticOps).to.be.lessThan(x.denseMacs);
      for (const ms of [x.eventIntMs, x.denseIntMs, x.floatSimMs, x.denseFloatB1Ms, x.denseFloatBatchMs]) expect(ms).to.be.greaterThan(0);
      if (nativeAvailable()) {
        expect(x.eventIntNativeMs).to.be.greaterThan(0);
        expect(x.eventIntNativeBatchMs).to.be.greaterThan(0);
      } else {
        expect(x.eventIntNativeMs).to.equal(null);
        expect(x.eventIntNativeBatchMs).to.equal(null);
      }
    }
    // Four times the input spikes: more synaptic events.
    expect(r.rows[1]!.synapticOps).to.be.greaterThan(2 * r.rows[0]!.synapticOps);
  });

  describe('native event kernels', function () {
    before(function () {
      if (!nativeAvailable()) this.skip(); // the addon is not built here: nothing native to compare
    });

    // Random events (sorted and unsorted, graded values) through convs of every geometry the
    // simulator meets: the native sums must equal the TypeScript reference's bit for bit.
    const geometries: Array<Omit<ConvNode, 'kind' | 'name' | 'weight' | 'bias'> & { h: number; w: number }> = [
      { h: 7, w: 6, inChannels: 5, outChannels: 19, kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 },
      { h: 9, w: 8, inChannels: 6, outChannels: 9, kernel: [3, 2], stride: [2, 3], padding: [2, 0], dilation: [1, 2], groups: 3 },
      { h: 5, w: 5, inChannels: 4, outChannels: 4, kernel: [5, 5], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 4 },
    ];
    for (const [gi, g] of geometries.entries()) {
      it(`conv ${gi}: equals jsEventKernels exactly`, () => {
        const rand = seeded(11 + gi);
        const node: ConvNode = { kind: 'conv', name: 'c', bias: null, ...g, weight: Float32Array.from({ length: g.kernel[0] * g.kernel[1] * (g.inChannels / g.groups) * g.outChannels }, () => rand() * 2 - 1) };
        const ho = Math.floor((g.h + 2 * g.padding[0] - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) + 1;
        const wo = Math.floor((g.w + 2 * g.padding[1] - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) + 1;
        const geom = eventConvGeom(node, [g.h, g.w, g.inChannels], [ho, wo, g.outChannels]);
        const n = g.h * g.w * g.inChannels;
        const idx = Int32Array.from({ length: 40 }, () => Math.floor(rand() * n));
        const val = Float64Array.from({ length: 40 }, () => rand() * 3 - 1);
        const a = new Float64Array(ho * wo * g.outChannels).fill(0.25);
        const b = a.slice();
        const opsJs = jsEventKernels.conv(geom, idx.length, idx, val, node.weight, a);
        const opsNative = nativeEventKernels().conv(geom, idx.length, idx, val, node.weight, b);
        expect(opsNative).to.equal(opsJs);
        expect(opsJs).to.be.greaterThan(0);
        expect(Array.from(b)).to.deep.equal(Array.from(a));
        expect(a.some((v) => v !== 0.25)).to.equal(true);
      });
    }

    it('linear: equals jsEventKernels exactly', () => {
      const rand = seeded(3);
      const w = Float32Array.from({ length: 50 * 13 }, () => rand() - 0.5);
      const idx = Int32Array.from({ length: 17 }, () => Math.floor(rand() * 50));
      const val = Float64Array.from({ length: 17 }, () => rand() * 5);
      const a = new Float64Array(13);
      const b = new Float64Array(13);
      expect(nativeEventKernels().linear(13, 17, idx, val, w, b)).to.equal(jsEventKernels.linear(13, 17, idx, val, w, a));
      expect(Array.from(b)).to.deep.equal(Array.from(a));
    });

    it('simulateInteger with the native kernels gives the same result as with the TypeScript ones', () => {
      const g = eventBenchGraph(0.1);
      const input = spikeInputs(3, 0.1, 9);
      const js = simulateInteger(g, { input }, { mode: 'event', steps: 3, recordSpikeTrains: true });
      const nat = simulateInteger(g, { input }, { mode: 'event', steps: 3, recordSpikeTrains: true, kernels: nativeEventKernels() });
      expect(nat.synapticOps).to.equal(js.synapticOps);
      expect(nat.spikeCounts).to.deep.equal(js.spikeCounts);
      expect(Array.from(nat.outputSum.output ?? [])).to.deep.equal(Array.from(js.outputSum.output ?? []));
      expect(nat.spikeTrains.hidden?.map((s) => Array.from(s))).to.deep.equal(js.spikeTrains.hidden?.map((s) => Array.from(s)));
      expect(js.spikeCounts.hidden).to.be.greaterThan(0);
    });

    // What the whole-simulation engine must reproduce bit for bit: every plan operation, graded and
    // negative inputs, biases, groups, strides, per-neuron parameters (with synapses and adaptation,
    // and without either), strict and subtractive resets, saturation, non-unit gains, two inputs into
    // one node, a recurrent back edge, an overlapping sum pool, a scale, a channel-major flatten,
    // events and dense values arriving at outputs (one of them the conv sums themselves).
    function everyOpGraph(weightScale = 1): HardwareGraph {
      const rand = seeded(21);
      const w = (n: number) => Float32Array.from({ length: n }, () => Math.round((rand() * 2 - 1) * 9) * weightScale + (weightScale > 1 ? 1 : 0));
      const lif = { kind: 'population' as const, model: 'lif' as const, gain: 1, drive: 0, resetValue: 0 };
      return {
        name: 'every-op',
        metadata: {},
        nodes: [
          { kind: 'input', name: 'in', shape: [6, 6, 3] },
          { kind: 'conv', name: 'c1', weight: w(3 * 3 * 3 * 4), kernel: [3, 3], inChannels: 3, outChannels: 4, bias: Float32Array.of(0.5, -1.25, 2, 0), stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 },
          { ...lif, name: 'p1', shape: [6, 6, 4], decay: [0.5, 0.75, 0.25, 1], threshold: [6, 9, 4, 12], reset: 'subtract', strict: true, synapse: { decay: 0.5, gain: 1 }, adaptation: { beta: 3, rho: 0.5 } },
          { kind: 'conv', name: 'c2', weight: w(3 * 3 * 2 * 4), kernel: [3, 3], inChannels: 4, outChannels: 4, bias: null, stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 2 },
          { ...lif, name: 'p2', model: 'if', shape: [3, 3, 4], decay: 1, threshold: 5, reset: 'zero', strict: false },
          { kind: 'pool', name: 'pl', mode: 'sum', kernel: [2, 2], stride: [1, 1], padding: [0, 0] },
          { kind: 'scale', name: 'sc', scale: [1, 2, 0.5, -1] },
          { kind: 'flatten', name: 'fl', order: 'chw' },
          { kind: 'linear', name: 'fc', weight: w(16 * 5), inFeatures: 16, outFeatures: 5, bias: Float32Array.of(1, 0, -2, 0.5, 3) },
          { ...lif, name: 'p3', shape: [5], decay: 0.5, threshold: [4, 5, 3, 6, 4], reset: 'subtract', strict: false },
          { kind: 'output', name: 'out', shape: [5] },
          { kind: 'output', name: 'out2', shape: [5] },
          { kind: 'output', name: 'convs', shape: [3, 3, 4] },
        ],
        edges: [
          { from: 'in', to: 'c1' }, { from: 'c1', to: 'p1' }, { from: 'p1', to: 'c2' }, { from: 'c2', to: 'p2' },
          { from: 'p2', to: 'p2', gain: [2, 1, 0.5, 3] }, { from: 'p2', to: 'pl' }, { from: 'pl', to: 'sc' }, { from: 'sc', to: 'fl' },
          { from: 'fl', to: 'fc' }, { from: 'fc', to: 'p3' }, { from: 'p3', to: 'out' }, { from: 'fc', to: 'out2', gain: 2 },
          { from: 'c2', to: 'convs' },
        ],
      } as HardwareGraph;
    }

    const fields = (r: IntSimResult) => ({ steps: r.steps, ops: r.synapticOps, sat: r.saturations, spikes: r.spikeCounts, sums: Object.fromEntries(Object.entries(r.outputSum).map(([k, v]) => [k, Array.from(v)])) });

    // Odd integer weights up to 9 * 2^19 (exact in float32) put the conv sums beyond float32's exact integers (2^24): the engine must see
    // that and sum in float64 (a wrong bound would round them and differ here).
    for (const weightScale of [1, 2 ** 19]) it(`the whole simulation in C++ equals the TypeScript simulator bit for bit on every plan operation (weights x ${weightScale})`, () => {
      const g = everyOpGraph(weightScale);
      const rand = seeded(5);
      const samples = Array.from({ length: 5 }, () => ({ in: Array.from({ length: 6 }, () => Float32Array.from({ length: 6 * 6 * 3 }, () => [0, 0, 0, 1, 0.5, 2, -1][Math.floor(rand() * 7)] as number)) }));
      for (const stateBits of [24, 6]) {
        const js = prepareIntegerSim(g, { mode: 'event', stateBits });
        const nat = prepareIntegerSim(g, { mode: 'event', stateBits, kernels: nativeEventKernels() });
        expect(nat.engine).to.equal('native');
        expect(js.engine).to.equal('js');
        const want = samples.map((x) => fields(js.run(x)));
        expect(samples.map((x) => fields(nat.run(x)))).to.deep.equal(want);
        expect(nat.runBatch(samples).map(fields)).to.deep.equal(want);
        for (const r of want) expect(r.ops).to.be.greaterThan(0);
        expect(want.some((r) => (r.spikes.p1 ?? 0) > 0 && (r.spikes.p2 ?? 0) > 0 && (r.spikes.p3 ?? 0) > 0)).to.equal(true);
        if (stateBits === 6) expect(want.some((r) => r.sat > 0)).to.equal(true);
      }
    });

    it('the whole simulation in C++ equals the TypeScript one on the benchmark network, one sample and batched', () => {
      for (const rate of [0.02, 0.1, 0.3]) {
        const g = eventBenchGraph(rate);
        const samples = Array.from({ length: 6 }, (_, i) => ({ input: spikeInputs(3, rate, 50 + i) }));
        const want = samples.map((x) => fields(simulateInteger(g, x, { mode: 'event', steps: 3 })));
        const nat = prepareIntegerSim(g, { mode: 'event', steps: 3, kernels: nativeEventKernels() });
        expect(nat.runBatch(samples).map(fields), `rate ${rate}`).to.deep.equal(want);
        expect(fields(nat.run(samples[2] as { input: Float32Array[] }))).to.deep.equal(want[2]);
      }
    });

    it('falls back to the TypeScript loop (native delivery) when spike trains are recorded, with the same result', () => {
      const g = eventBenchGraph(0.1);
      const sim = prepareIntegerSim(g, { mode: 'event', steps: 2, recordSpikeTrains: true, kernels: nativeEventKernels() });
      expect(sim.engine).to.equal('js loop, native delivery');
      const input = spikeInputs(2, 0.1, 3);
      expect(fields(sim.run({ input }))).to.deep.equal(fields(simulateInteger(g, { input }, { mode: 'event', steps: 2 })));
      expect(sim.run({ input }).spikeTrains.hidden).to.have.length(2);
    });

    it('refuses a plan whose sizes disagree and an input of the wrong size, naming them', () => {
      const k = nativeEventKernels();
      const node = { op: 2, inSize: 3, outSize: 2, inputs: [{ from: 0, back: false, gain: null }], geom: Int32Array.of(2), weight: new Float32Array(5), bias: null, params: null };
      const input = { op: 0, inSize: 3, outSize: 3, inputs: [], geom: new Int32Array(0), weight: null, bias: null, params: null };
      expect(() => k.compile({ nodes: [input, node], smax: 100 })).to.throw(/event plan: plan node 1: linear weight is not \[in, out\]/);
      const runner = k.compile({ nodes: [input, { ...node, weight: new Float32Array(6) }], smax: 100 });
      expect(() => runner.run([[new Float64Array(5), null]], 1, 2)).to.throw(/bad input 0 at step 0, got 5 values; expected a Float32Array or Float64Array of 3/);
      expect(() => runner.run([[null]], 1, 2)).to.throw(/bad input 0, got 1 step arrays; expected 2 \(samples x steps\)/);
      // null steps are zeros; float32 and float64 steps are read in place, with the same result
      const a = runner.run([[Float32Array.of(1, 2, 0), null]], 1, 2);
      const b = runner.run([[Float64Array.of(1, 2, 0), null]], 1, 2);
      expect(Array.from(b.stats)).to.deep.equal(Array.from(a.stats));
      expect(a.stats[0]).to.equal(2 * 2); // step 0: two events x two outputs; step 1 (null) none
      const sim = prepareIntegerSim(eventBenchGraph(0.1), { mode: 'event', steps: 1, kernels: k });
      expect(() => sim.run({ input: [new Float32Array(7)] })).to.throw(/input has 7 values per step.*expected 6272/);
    });

    it('refuses an event index outside the input and a wrong weight size, naming them', () => {
      const k = nativeEventKernels();
      const geom = [2, 2, 1, 2, 2, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1];
      expect(() => k.conv(geom, 1, Int32Array.of(4), Float64Array.of(1), Float32Array.of(1), new Float64Array(4))).to.throw(/bad event index 0, got 4; expected an input index in \[0, 4\)/);
      expect(() => k.conv(geom, 1, Int32Array.of(0), Float64Array.of(1), Float32Array.of(1, 2), new Float64Array(4))).to.throw(/bad weight, got 2 values; expected 1/);
    });
  });

  it('rejects a rate outside (0, 1)', async () => {
    let err: unknown;
    try {
      await runEventBench({ rates: [1.5] });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.contain(messages.badRate(1.5));
  });
});
