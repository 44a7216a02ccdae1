import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileSystemHandler, initBackend, readWeights } from '@deepspike/core';
import { findCheckpoint, loadCheckpoint, disposeCheckpoint, train } from '@deepspike/train';
import { TinyNet, snapshot, tinyDataset, tinySpec } from './fixtures/tiny.js';

const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the training child and SIGKILLs it `afterMs` after its first checkpoint appears. */
async function killMidRun(out: string, maxSteps: number, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'deepspike-source', join(here, 'fixtures', 'train-child.ts'), out, String(maxSteps)], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!existsSync(join(out, 'checkpoint', 'latest.json')) && Date.now() < deadline) await sleep(20);
  await sleep(afterMs);
  child.kill('SIGKILL');
  await exited;
}

describe('crash safety', function () {
  const dirs: string[] = [];
  const maxSteps = 300;
  let whole: Record<string, number[]>;
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    const out = mkdtempSync(join(tmpdir(), 'deepspike-whole-'));
    dirs.push(out);
    const r = await train({ spec: tinySpec({ epochs: 100 }), buildModel: (s) => new TinyNet(s.training!.seed!), dataset: tinyDataset(), out, maxSteps, checkpointEveryEpochs: 1000, progress: 'silent', report: false, evaluate: false, log: () => {} });
    whole = snapshot(r.model);
    r.model.dispose();
  });
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const afterMs of [0, 173]) {
    it(`a run SIGKILLed ${afterMs} ms after its first checkpoint resumes to a loadable checkpoint equal to an uninterrupted run`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'deepspike-kill-'));
      dirs.push(out);
      await killMidRun(out, maxSteps, afterMs);
      const found = await findCheckpoint(out);
      expect(found, 'a checkpoint survives the kill').to.not.equal(null);
      const opts = { spec: tinySpec({ epochs: 100 }), buildModel: (s: ReturnType<typeof tinySpec>) => new TinyNet(s.training!.seed!), progress: 'silent', report: false, evaluate: false, log: () => {} } as const;
      const resumed = await train({ ...opts, dataset: tinyDataset(), out, resume: out, maxSteps, checkpointEverySteps: 2, logEvery: 1 });
      expect(resumed.steps).to.equal(maxSteps);
      // the final checkpoint loads into a fresh model and holds the trained weights
      const fresh = new TinyNet(99);
      const loaded = await loadCheckpoint((await findCheckpoint(out))!, fresh.namedParameters());
      expect(loaded.state.step).to.equal(maxSteps);
      disposeCheckpoint(loaded);
      expect(snapshot(fresh)).to.deep.equal(snapshot(resumed.model));
      expect(snapshot(resumed.model)).to.deep.equal(whole);
      [fresh, resumed.model].forEach((m) => m.dispose());
    });
  }

  it('ignores a half-written temp checkpoint and a damaged latest.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'deepspike-ckpt-'));
    dirs.push(out);
    const r = await train({ spec: tinySpec(), buildModel: (s) => new TinyNet(s.training!.seed!), dataset: tinyDataset(), out, maxSteps: 4, checkpointEverySteps: 2, progress: 'silent', report: false, evaluate: false, log: () => {} });
    r.model.dispose();
    const ck = join(out, 'checkpoint');
    mkdirSync(join(ck, '.tmp-step-00000006-1234', 'weights'), { recursive: true });
    mkdirSync(join(ck, 'step-00000008', 'weights'), { recursive: true }); // no state.json: never completed
    writeFileSync(join(ck, 'latest.json'), '{"step": 4, "di');
    expect(await findCheckpoint(out)).to.equal(join(ck, 'step-00000004'));
    const { tensors } = await readWeights(new FileSystemHandler(join(ck, 'step-00000004', 'weights')));
    expect(Object.keys(tensors).sort()).to.deep.equal(['fc1.bias', 'fc1.kernel', 'fc2.bias', 'fc2.kernel']);
    Object.values(tensors).forEach((t) => t.dispose());
  });
});
