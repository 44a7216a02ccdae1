// Data-parallel training on MPI (#16): equivalence with one process (SyncBatchNorm), a test that
// fails without the statistics sync, and a killed rank. Runs only where `mpirun` and the MPI binding
// exist (it says why it skips otherwise); .ci/run installs OpenMPI where it can.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mpiAvailable, MPI_ADDON_PATH } from '@deepspike/distributed';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'dp-train.ts');
const node = [process.execPath, '--import', 'tsx', '--conditions=deepspike-source'];
const mpiEnv = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1', OMPI_MCA_rmaps_base_oversubscribe: '1' };

function whySkip(): string | null {
  const probe = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'no mpirun on PATH (apt-get install -y openmpi-bin libopenmpi-dev)';
  if (!mpiAvailable()) return `the MPI binding ${MPI_ADDON_PATH} is not built (no mpicc/mpi.h when it was built)`;
  const addon = fileURLToPath(new URL('../../backend-native/build/Release/deepspike_native.node', import.meta.url));
  if (!existsSync(addon)) return `the deepspike-native addon ${addon} is not built (the equivalence is checked on the native backend)`;
  return null;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  seconds: number;
}

/** Runs the fixture on `ranks` processes (1: no mpirun), `threads` native threads each. */
function run(ranks: number, args: string[], env: Record<string, string> = {}, onStart?: (pid: number) => void): Promise<Run> {
  const cmd = ranks === 1 ? node : ['mpirun', '-np', String(ranks), '--oversubscribe', '--bind-to', 'none', ...node];
  const t0 = performance.now();
  const child = spawn(cmd[0]!, [...cmd.slice(1), fixture, ...args], { env: { ...mpiEnv, DEEPSPIKE_THREADS: '1', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  onStart?.(child.pid!);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err, seconds: (performance.now() - t0) / 1000 })));
}

/** Every parameter and buffer written by the fixture's rank 0. */
function weights(dir: string): Map<string, Float32Array> {
  const meta = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as { name: string; shape: number[] }[];
  const flat = new Float32Array(new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer);
  const out = new Map<string, Float32Array>();
  let off = 0;
  for (const { name, shape } of meta) {
    const n = shape.reduce((a, b) => a * b, 1);
    out.set(name, flat.subarray(off, off + n));
    off += n;
  }
  expect(off).to.equal(flat.length);
  return out;
}

/** ‖a − b‖₂ / ‖a‖₂ over every parameter and buffer, and the worst single tensor's. */
function relDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): { all: number; worst: number; worstName: string } {
  let num = 0;
  let den = 0;
  let worst = 0;
  let worstName = '';
  expect([...b.keys()]).to.deep.equal([...a.keys()]);
  for (const [name, x] of a) {
    const y = b.get(name)!;
    let d2 = 0;
    let x2 = 0;
    for (let i = 0; i < x.length; i++) {
      d2 += ((x[i] as number) - (y[i] as number)) ** 2;
      x2 += (x[i] as number) ** 2;
    }
    num += d2;
    den += x2;
    const r = Math.sqrt(d2 / Math.max(x2, 1e-30));
    if (r > worst) [worst, worstName] = [r, name];
  }
  return { all: Math.sqrt(num / den), worst, worstName };
}

describe('data-parallel training on MPI (examples/mnist-tdbn, deepspike-native)', function () {
  this.timeout(600_000);
  const root = mkdtempSync(join(tmpdir(), 'deepspike-dp-'));
  const dir = (name: string): string => join(root, name);
  before(function () {
    const why = whySkip();
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const ok = (r: Run): void => {
    expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
  };

  it('one step: 2 ranks × 32 with SyncBatchNorm equal 1 process × 64 (running statistics too); without the sync they do not', async () => {
    const [one, two] = await Promise.all([run(1, [dir('s1'), '1', 'sync']), run(2, [dir('m1'), '1', 'sync'])]);
    ok(one);
    ok(two);
    ok(await run(2, [dir('n1'), '1', 'nosync']));
    const ref = weights(dir('s1'));
    const synced = relDiff(ref, weights(dir('m1')));
    const local = relDiff(ref, weights(dir('n1')));
    // Measured: 2.4e-7 synced (float32 summation order), 2.8e-2 without the sync.
    expect(synced.worst, `${synced.worstName}`).to.be.below(1e-4);
    for (const stat of ['norm1.runningMean', 'norm1.runningVar', 'norm2.runningMean', 'norm2.runningVar']) {
      const d = relDiff(new Map([[stat, ref.get(stat)!]]), new Map([[stat, weights(dir('m1')).get(stat)!]]));
      expect(d.all, stat).to.be.below(1e-6);
    }
    expect(local.all).to.be.above(1e-3);
  });

  it('20 steps with deterministic reductions: 2 ranks × 32 equal 1 process × 64 within 1e-4; without the sync they do not', async () => {
    // Deterministic reductions (--deterministic) sum the conv/linear weight gradients over 8-sample
    // blocks in a fixed tree, so the ranks' halves add up to one process's sums; SyncBatchNorm gives
    // the norms' statistics and parameter gradients of the global batch. Measured: bit for bit.
    const det = { DP_DETERMINISTIC: '1' };
    const [one, two] = await Promise.all([run(1, [dir('s20'), '20', 'sync'], det), run(2, [dir('m20'), '20', 'sync'], det)]);
    ok(one);
    ok(two);
    ok(await run(2, [dir('n20'), '20', 'nosync'], det));
    const ref = weights(dir('s20'));
    const synced = relDiff(ref, weights(dir('m20')));
    const local = relDiff(ref, weights(dir('n20')));
    console.log(`      20 steps, ‖Δw‖/‖w‖ vs 1 process × 64: 2 ranks synced ${synced.all.toExponential(2)} (worst tensor ${synced.worst.toExponential(2)}), ` +
      `2 ranks unsynced ${local.all.toExponential(2)}`);
    expect(synced.worst, synced.worstName).to.be.below(1e-4);
    expect(local.all).to.be.above(1e-3);
  });

  it('a rank killed with SIGKILL stops the job within 60 s naming the rank; the checkpoint resumes on 1 process', async () => {
    const out = dir('fault');
    let killedAt = 0;
    const job = run(2, [out, '400', 'sync'], { DP_CKPT_EVERY: '2' });
    const ckpt = join(out, 'checkpoint', 'latest.json');
    const t0 = Date.now();
    while (!existsSync(ckpt) && Date.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 250));
    expect(existsSync(ckpt), 'no checkpoint written').to.equal(true);
    const pid = Number(readFileSync(join(out, 'rank-1.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    killedAt = performance.now();
    const r = await job;
    const stopped = (performance.now() - killedAt) / 1000;
    expect(r.code).to.not.equal(0);
    expect(stopped).to.be.below(60);
    const named = `${r.out}\n${r.err}`.split('\n').find((l) => /rank 1\b/.test(l));
    console.log(`      job stopped ${stopped.toFixed(1)} s after SIGKILL of rank 1: ${named?.trim()}`);
    expect(named, `${r.out}\n${r.err}`).to.be.a('string');
    const latest = JSON.parse(readFileSync(ckpt, 'utf8')) as { step: number };
    // Resumed with a different N (1 process): continues from the checkpoint to step latest + 2.
    const resumed = await run(1, [out, String(latest.step + 2), 'sync'], { DP_RESUME: '1' });
    ok(resumed);
    expect(JSON.parse(readFileSync(ckpt, 'utf8')).step).to.equal(latest.step + 2);
  });
});
