import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture } from './capture.js';
import { registerTinyDataset } from './fixtures/tiny-dataset.js';

const model = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-cli.snn.json');

describe('deepspike train', () => {
  const out = mkdtempSync(join(tmpdir(), 'deepspike-cli-train-'));
  before(() => registerTinyDataset());
  after(() => rmSync(out, { recursive: true, force: true }));

  it('trains, then prints the test accuracy, the report path and the time', async () => {
    const r = await capture(['train', model, '--backend', 'cpu', '--max-steps', '4', '--out', out, '--log-every', '2', '--no-progress']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/train: tiny-cli on tiny-cli \(32 train \/ 32 test samples\), backend cpu, 2 epoch\(s\) × 4 steps of 8/);
    expect(r.out).to.match(/epoch 1\/2 step 2\/4 loss \d+\.\d{4} acc \d+\.\d{2}%/);
    expect(r.out).to.match(/train: test accuracy \d+\.\d{2}% \(32 samples, loss \d+\.\d{4}\) after 4 steps/);
    expect(r.out).to.contain(`train: report ${join(out, 'report.html')}`);
    expect(r.out).to.match(/train: took \d/);
    expect(existsSync(join(out, 'checkpoint', 'step-00000004', 'state.json'))).to.equal(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).to.have.length(3);
  });

  it('--resume continues the run from its checkpoint', async () => {
    const r = await capture(['train', model, '--backend', 'cpu', '--resume', out, '--no-progress']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain(`train: resumed tiny-cli from ${join(out, 'checkpoint', 'step-00000004')} (step 4, epoch 1)`);
    expect(r.out).to.contain('after 8 steps');
  });

  it('refuses a bad flag with exit code 2', async () => {
    const r = await capture(['train', model, '--epochs', '0']);
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('deepspike train: --epochs got "0"; expected an integer >= 1.');
  });

  it('refuses a non-positive --clip-grad-norm', async () => {
    const r = await capture(['train', model, '--clip-grad-norm', '-1']);
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('deepspike train: --clip-grad-norm got "-1"; expected a number > 0.');
  });

  it('says when there is nothing to resume', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'deepspike-cli-empty-'));
    const r = await capture(['train', model, '--backend', 'cpu', '--resume', empty]);
    rmSync(empty, { recursive: true, force: true });
    expect(r.code).to.equal(1);
    expect(r.err).to.contain(`train: no loadable checkpoint in ${empty}, got none`);
  });
});
