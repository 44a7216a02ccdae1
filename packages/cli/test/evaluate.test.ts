import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture } from './capture.js';
import { registerTinyDataset } from './fixtures/tiny-dataset.js';

const model = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-cli.snn.json');

describe('deepspike evaluate', () => {
  const out = mkdtempSync(join(tmpdir(), 'deepspike-cli-eval-'));
  let trainedAccuracy: number;
  before(async () => {
    registerTinyDataset();
    const r = await capture(['train', model, '--backend', 'cpu', '--epochs', '1', '--out', out, '--no-progress']);
    expect(r.code, r.err).to.equal(0);
    trainedAccuracy = Number(/test accuracy (\d+\.\d+)%/.exec(r.out)![1]);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('--json prints {accuracy, loss, samples, firingRates} equal to the end of training', async () => {
    const r = await capture(['evaluate', model, '--checkpoint', out, '--backend', 'cpu', '--json']);
    expect(r.code, r.err).to.equal(0);
    const j = JSON.parse(r.out) as { accuracy: number; loss: number; samples: number; firingRates: Record<string, number> };
    expect(Object.keys(j)).to.deep.equal(['accuracy', 'loss', 'samples', 'firingRates']);
    expect(j.samples).to.equal(32);
    expect((j.accuracy * 100).toFixed(2)).to.equal(trainedAccuracy.toFixed(2));
    expect(Object.keys(j.firingRates)).to.have.length(1);
    expect(Object.values(j.firingRates)[0]).to.be.within(0, 1);
  });

  it('prints readable lines without --json', async () => {
    const r = await capture(['evaluate', model, '--checkpoint', join(out, 'checkpoint'), '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain(`evaluate: tiny-cli checkpoint ${join(out, 'checkpoint', 'step-00000004')} (step 4)`);
    expect(r.out).to.match(/evaluate: test accuracy \d+\.\d{2}% \(32 samples\), loss \d+\.\d{4}/);
  });

  it('names the directory when it holds no checkpoint', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'deepspike-cli-no-checkpoint-'));
    const r = await capture(['evaluate', model, '--checkpoint', empty, '--backend', 'cpu']);
    rmSync(empty, { recursive: true, force: true });
    expect(r.code).to.equal(1);
    expect(r.err).to.contain(`no loadable checkpoint in ${empty}`);
  });

  it('says a --checkpoint that does not exist does not, before loading anything', async () => {
    const missing = join(tmpdir(), 'nope-deepspike');
    const r = await capture(['evaluate', model, '--checkpoint', missing, '--backend', 'cpu']);
    expect(r.code).to.equal(1);
    expect(r.err).to.equal(`deepspike evaluate: --checkpoint got "${missing}", which does not exist; expected a run directory, its checkpoint/ directory or one step-* checkpoint. Check the path (it is relative to the working directory).`);
  });
});
