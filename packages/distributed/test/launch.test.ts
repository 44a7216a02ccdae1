import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { detectLaunch, mpiAvailable, MPI_ADDON_PATH } from '@deepspike/distributed';

describe('detectLaunch', () => {
  it('reads OpenMPI, then PMI, then Slurm; none is one process', () => {
    expect(detectLaunch({ OMPI_COMM_WORLD_RANK: '3', OMPI_COMM_WORLD_SIZE: '4', SLURM_PROCID: '0', SLURM_NTASKS: '8' })).to.deep.equal({ rank: 3, size: 4, launcher: 'openmpi' });
    expect(detectLaunch({ PMI_RANK: '1', PMI_SIZE: '2' })).to.deep.equal({ rank: 1, size: 2, launcher: 'pmi' });
    expect(detectLaunch({ SLURM_PROCID: '5', SLURM_NTASKS: '6' })).to.deep.equal({ rank: 5, size: 6, launcher: 'slurm' });
    expect(detectLaunch({})).to.deep.equal({ rank: 0, size: 1, launcher: 'none' });
  });

  it('ignores malformed or inconsistent values', () => {
    expect(detectLaunch({ OMPI_COMM_WORLD_RANK: '4', OMPI_COMM_WORLD_SIZE: '4' }).launcher).to.equal('none');
    expect(detectLaunch({ OMPI_COMM_WORLD_RANK: 'x', OMPI_COMM_WORLD_SIZE: '2', SLURM_PROCID: '1', SLURM_NTASKS: '2' })).to.deep.equal({ rank: 1, size: 2, launcher: 'slurm' });
  });
});

describe('the MPI binding under mpirun (skips without mpirun or the binding)', function () {
  this.timeout(120_000);
  before(function () {
    const probe = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
    const why = probe.error || probe.status !== 0 ? 'no mpirun on PATH' : !mpiAvailable() ? `${MPI_ADDON_PATH} not built (no MPI at build time)` : null;
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
  });

  it('3 ranks: rank/size from MPI, sum/max/min all-reduce of float32 and float64, broadcast of bytes', () => {
    const script = fileURLToPath(new URL('./fixtures/collectives.ts', import.meta.url));
    const r = spawnSync('mpirun', ['-np', '3', '--oversubscribe', process.execPath, '--import', 'tsx', '--conditions=deepspike-source', script], {
      encoding: 'utf8',
      env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
    });
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.rank).sort()).to.deep.equal([0, 1, 2]);
    for (const l of lines) {
      expect(l.size).to.equal(3);
      // rank r contributes [r + 1, 10·r]: sum [6, 30], max [3, 20], min [1, 0]
      expect(l.sum32).to.deep.equal([6, 30]);
      expect(l.sum64).to.deep.equal([6, 30]);
      expect(l.max).to.deep.equal([3, 20]);
      expect(l.min).to.deep.equal([1, 0]);
      expect(l.bcast).to.equal('from rank 0');
      expect(l.library).to.match(/MPI/);
    }
  });

  it('a rank that hangs (alive, not answering) ends the job after DEEPSPIKE_COLLECTIVE_TIMEOUT, naming the rank that waited', () => {
    const script = fileURLToPath(new URL('./fixtures/hang.ts', import.meta.url));
    const t0 = performance.now();
    const r = spawnSync('mpirun', ['-np', '2', '--oversubscribe', process.execPath, '--import', 'tsx', '--conditions=deepspike-source', script], {
      encoding: 'utf8',
      env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1', DEEPSPIKE_COLLECTIVE_TIMEOUT: '2' },
    });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain('deepspike (rank 0): an all-reduce waited 2 s (DEEPSPIKE_COLLECTIVE_TIMEOUT) for the other ranks, got no answer');
    expect(seconds).to.be.below(40);
  });
});
