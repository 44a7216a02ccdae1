import { expect } from 'chai';
import { nativeAvailable } from '@deepspike/backend-native';
import { eventBenchGraph, messages, runEventBench, spikeInputs, EVENT_NET } from '@deepspike/bench';
import { simulateInteger } from '@deepspike/neuromorphic';

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
    }
    // Four times the input spikes: more synaptic events.
    expect(r.rows[1]!.synapticOps).to.be.greaterThan(2 * r.rows[0]!.synapticOps);
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
