import { expect } from 'chai';
import { nativeAvailable, nativeInfo } from '@deepspike/backend-native';
import { messages, runScalingBench, scalingTable } from '@deepspike/bench';

describe('bench scaling: threads and instruction sets side by side', function () {
  this.timeout(300_000);
  before(function () {
    if (!nativeAvailable()) this.skip(); // the addon is not built here: the bench refuses (tested below only with it)
  });

  it('times every workload x simd x threads, relates each to 1 thread and to auto, and restores the pool', async () => {
    const threadsBefore = nativeInfo().threads;
    const r = await runScalingBench({ workloads: ['mnist'], threads: [1, 2], simd: ['auto', 'avx2'], steps: 1, warmup: 0 });
    expect(r.backend).to.equal('deepspike-native');
    expect(r.rows.map((x) => [x.simdAsked, x.threads])).to.deep.equal([['auto', 1], ['auto', 2], ['avx2', 1], ['avx2', 2]]);
    for (const x of r.rows) {
      expect(x.medianMs).to.be.greaterThan(0);
      expect(x.samplesPerSec).to.be.closeTo(64_000 / x.medianMs, 64_000 / x.medianMs * 0.02);
      const one = r.rows.find((o) => o.simdAsked === x.simdAsked && o.threads === 1)!;
      const auto = r.rows.find((o) => o.simdAsked === 'auto' && o.threads === x.threads)!;
      expect(x.speedupVs1Thread).to.be.closeTo(x.samplesPerSec / one.samplesPerSec, 1e-3);
      expect(x.timeVsAuto).to.be.closeTo(x.medianMs / auto.medianMs, 1e-3);
    }
    expect(r.rows.find((x) => x.simdAsked === 'avx2')!.simd).to.equal('avx2');
    expect(nativeInfo().threads).to.equal(threadsBefore);
    expect(nativeInfo().simd).to.not.equal('avx2');
    expect(scalingTable(r)).to.contain('| mnist | avx2 | 2 |');
  });

  it('refuses a bad thread count and an unknown workload', async () => {
    const err = async (p: Promise<unknown>) => p.then(() => '', (e: unknown) => String(e));
    expect(await err(runScalingBench({ threads: [0] }))).to.contain(messages.badCount('--threads', 0, 1));
    expect(await err(runScalingBench({ workloads: ['nope' as 'mnist'] }))).to.contain(messages.badWorkload('nope'));
  });
});
