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

  it('1 × 1, 1 × 2 threads and 2 ranks × 1 of mnist-tdbn: the gradient buffer and the SyncBN sums have the sizes of the model', async () => {
    const r = await runDistributedBench({ steps: 2, warmup: 1 });
    expect(r.rows.map((x) => [x.ranks, x.threadsPerRank])).to.deep.equal([[1, 1], [1, 2], [2, 1]]);
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
  });
});
