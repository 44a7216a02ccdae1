import { expect } from 'chai';
import { nativeAvailable, nativeEventKernels } from '@deepspike/backend-native';
import { eventBenchGraph, messages, runEventBench, seeded, spikeInputs, EVENT_NET } from '@deepspike/bench';
import { eventConvGeom, jsEventKernels, simulateInteger, type ConvNode } from '@deepspike/neuromorphic';

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
      if (nativeAvailable()) expect(x.eventIntNativeMs).to.be.greaterThan(0);
      else expect(x.eventIntNativeMs).to.equal(null);
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
