import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepSpikeError, initBackend } from '@deepspike/core';
import { paperMessages, resolveModelFile, runAccuracy, runTimesteps } from '@deepspike/bench';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');
/** The model file's training.epochs (what a run without --epochs plans). */
const fileEpochs = (name: string): number => JSON.parse(readFileSync(join(EXAMPLES, name, `${name}.snn.json`), 'utf8')).training.epochs;

describe('accuracy and time-step benchmarks (tiny settings)', function () {
  this.timeout(600_000);
  const out = mkdtempSync(join(tmpdir(), 'deepspike-accuracy-'));
  before(() => initBackend('cpu', { log: () => {} }));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('resolves a model folder to its one model file, and says what is wrong otherwise', () => {
    expect(resolveModelFile(join(EXAMPLES, 'mnist-tdbn'))).to.equal(join(EXAMPLES, 'mnist-tdbn', 'mnist-tdbn.snn.json'));
    const missing = join(EXAMPLES, 'no-such-model');
    expect(() => resolveModelFile(missing)).to.throw(DeepSpikeError, paperMessages.modelNotFound(missing));
  });

  it('trains mnist-tdbn with its file settings and records {model, accuracy, seconds, backend, epochs}', async () => {
    const r = await runAccuracy({ model: join(EXAMPLES, 'mnist-tdbn'), maxSteps: 2, batchSize: 4, evalBatches: 2, out: join(out, 'mnist') });
    expect(r.model).to.equal('mnist-tdbn');
    expect(r.backend).to.equal('cpu');
    expect(r.steps).to.equal(2);
    expect(r.epochs).to.equal(0); // stopped inside the first epoch
    expect(r.samples).to.equal(8);
    expect(r.timesteps).to.equal(4);
    expect(r.dataset).to.equal('mnist');
    expect(r.accuracy! * 8).to.be.closeTo(Math.round(r.accuracy! * 8), 1e-9); // k of 8 samples
    expect(r.seconds).to.be.greaterThan(0);
    expect(r.samplesPerSec).to.be.greaterThan(0);
    expect([r.complete, r.plannedEpochs, r.maxSteps, r.evalBatches, r.batchSize, r.seed]).to.deep.equal([true, fileEpochs('mnist-tdbn'), 2, 2, 4, 0]);
    // One evaluation (the end of the run), as in metrics.jsonl.
    expect(r.history.map((h) => [h.epoch, h.step, h.samples, h.accuracy])).to.deep.equal([[0, 2, 8, r.accuracy]]);
    expect(JSON.parse(readFileSync(join(out, 'mnist', 'accuracy.json'), 'utf8'))).to.deep.equal(r);
    expect(existsSync(join(out, 'mnist', 'report.html'))).to.equal(true);
  });

  it('resumes a stopped run (--resume) and records every evaluation; a fresh run into the same folder is refused', async () => {
    const dir = join(out, 'mnist-resume');
    const first = await runAccuracy({ model: join(EXAMPLES, 'mnist-tdbn'), maxSteps: 1, batchSize: 4, evalBatches: 1, out: dir });
    expect(first.steps).to.equal(1);
    const again = await runAccuracy({ model: join(EXAMPLES, 'mnist-tdbn'), maxSteps: 2, batchSize: 4, evalBatches: 1, out: dir, resume: true });
    expect(again.steps).to.equal(2);
    expect(again.history.map((h) => h.step)).to.deep.equal([1, 2]);
    expect(again.seconds).to.be.greaterThan(first.seconds);
    let err: unknown;
    try {
      await runAccuracy({ model: join(EXAMPLES, 'mnist-tdbn'), maxSteps: 1, batchSize: 4, evalBatches: 1, out: dir });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.contain('already holds a run').and.to.contain('Pass --resume');
  });

  it('trains the Fashion-MNIST tdBN model from the Debian package data', async function () {
    if (!existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz')) this.skip();
    const r = await runAccuracy({ model: join(EXAMPLES, 'fashion-mnist-tdbn'), maxSteps: 1, batchSize: 4, evalBatches: 1, out: join(out, 'fashion') });
    expect([r.model, r.dataset, r.steps, r.samples, r.plannedEpochs]).to.deep.equal(['fashion-mnist-tdbn', 'fashion-mnist', 1, 4, fileEpochs('fashion-mnist-tdbn')]);
  });

  it('trains the N-MNIST-style saccade model on mnist-saccade event frames [6, N, 34, 34, 2]', async () => {
    const r = await runAccuracy({ model: join(EXAMPLES, 'nmnist-saccade'), maxSteps: 1, batchSize: 2, evalBatches: 1, out: join(out, 'saccade') });
    expect(r.model).to.equal('nmnist-saccade');
    expect(r.dataset).to.equal('mnist-saccade');
    expect(r.timesteps).to.equal(6);
    expect(r.samples).to.equal(2);
    expect(r.steps).to.equal(1);
  });

  it('accuracy vs T trains once per T, writes timesteps.json / timesteps.html after each T, and --resume keeps finished T', async () => {
    const base = { model: join(EXAMPLES, 'mnist-tdbn'), maxSteps: 1, batchSize: 4, evalBatches: 1, out: join(out, 'ts') };
    const study = join(out, 'ts', 'timesteps.json');
    const seen: number[] = [];
    // Each T's training starts with a "train: <model> on <dataset>" line: count the T's already in the study file then.
    const log = (l: string): void => void (l.startsWith('train: mnist-tdbn on ') && seen.push(existsSync(study) ? JSON.parse(readFileSync(study, 'utf8')).length : 0));
    const rows = await runTimesteps({ ...base, T: [1, 2], log });
    expect(seen).to.deep.equal([0, 1]);
    expect(rows.map((r) => [r.timesteps, r.steps, r.complete])).to.deep.equal([[1, 1, true], [2, 1, true]]);
    for (const r of rows) expect(r.accuracy).to.be.within(0, 1);
    expect(JSON.parse(readFileSync(join(out, 'ts', 'timesteps.json'), 'utf8'))).to.deep.equal(rows);
    expect(readFileSync(join(out, 'ts', 'timesteps.html'), 'utf8')).to.match(/<svg/);
    expect(existsSync(join(out, 'ts', 'T2', 'accuracy.json'))).to.equal(true);
    // --resume: T=1 and T=2 are kept as they are (same settings), T=4 runs.
    const more = await runTimesteps({ ...base, T: [1, 2, 4], resume: true });
    expect(more.slice(0, 2)).to.deep.equal(rows);
    expect(more[2]!.timesteps).to.equal(4);
    expect(JSON.parse(readFileSync(join(out, 'ts', 'timesteps.json'), 'utf8'))).to.have.length(3);
  });

  it('refuses T < 1', async () => {
    try {
      await runTimesteps({ model: join(EXAMPLES, 'mnist-tdbn'), T: [0], out: join(out, 'bad') });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.equal(paperMessages.badInt('--T', 0, 1));
    }
  });
});
