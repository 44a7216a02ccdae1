import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mpiAvailable } from '@deepspike/distributed';
import { distributedTable, runDistributedBench } from '@deepspike/bench';

describe('bench distributed (skips without mpirun or the MPI binding)', function () {
  this.timeout(600_000);
  before(function () {
    const probe = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
    const why = probe.error || probe.status !== 0 ? 'no mpirun on PATH' : !mpiAvailable() ? 'the MPI binding is not built' : null;
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
  });

  it('1 × 1, 1 × 2 threads and 2 ranks × 1 of mnist-tdbn, plain and deterministic: the gradient buffer and the SyncBN sums have the sizes of the model', async () => {
    const r = await runDistributedBench({ steps: 2, warmup: 1, deterministic: true });
    expect(r.rows.map((x) => [x.ranks, x.threadsPerRank, x.deterministic])).to.deep.equal([
      [1, 1, false], [1, 2, false], [2, 1, false], [1, 1, true], [1, 2, true], [2, 1, true],
    ]);
    const step = (ranks: number, threads: number, det: boolean): number => r.rows.find((x) => x.ranks === ranks && x.threadsPerRank === threads && x.deterministic === det)!.stepMs;
    expect(r.deterministicCost!.oneThread).to.be.closeTo(step(1, 1, true) / step(1, 1, false), 1e-9);
    expect(r.deterministicCost!.twoThreads).to.be.closeTo(step(1, 2, true) / step(1, 2, false), 1e-9);
    expect(r.deterministicCost!.twoRanks).to.be.closeTo(step(2, 1, true) / step(2, 1, false), 1e-9);
    expect(r.rows[5]!.gradAllreduceBytes).to.equal(r.rows[2]!.gradAllreduceBytes);
    const two = r.rows[2]!;
    // 824,554 trainable parameters + [loss, correct, samples, non-finite], float32, one call per step.
    expect(two.gradAllreduceBytes).to.equal(4 * (824_554 + 4));
    // Per step: 2 norms (C = 32, 64) × [forward C + 1 and C, count 1, backward 2C + 1] float64 values.
    expect(two.statsAllreduceCalls).to.equal(8);
    expect(two.statsAllreduceBytes).to.equal(8 * (4 * 32 + 3 + 4 * 64 + 3));
    expect(two.library).to.match(/MPI/);
    for (const x of r.rows) {
      expect(x.globalBatch).to.equal(64);
      expect(x.stepMs).to.be.above(0);
      expect(x.samplesPerSec).to.be.closeTo((64 * 1000) / x.stepMs, 1e-9);
    }
    expect(r.rows[0]!.gradAllreduceBytes).to.equal(0);
    expect(distributedTable(r)).to.contain('2 ranks × 1 thread vs 1 process × 2 threads');
    expect(distributedTable(r)).to.match(/deterministic reductions, step time over plain: 1 × 1 [\d.]+×/);
  });
});
