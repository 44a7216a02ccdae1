import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture } from './capture.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

describe('deepspike bench depth|accuracy|timesteps (tiny settings)', function () {
  this.timeout(600_000);
  const out = mkdtempSync(join(tmpdir(), 'deepspike-cli-bench-paper-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('bench depth --json prints the results array; --out writes depth.json and depth.html', async () => {
    const r = await capture(['bench', 'depth', '--depths', '4', '--norms', 'tdbn', '--residual', 'off', '--steps', '1', '--eval-samples', '4',
      '--batch-size', '4', '--channels', '4', '--backend', 'cpu', '--json', '--out', out]);
    expect(r.code, r.err).to.equal(0);
    const rows = JSON.parse(r.out) as { depth: number; norm: string; residual: boolean; gradNormsInit: number[]; gradRatioInit: number }[];
    expect(rows.map((x) => [x.depth, x.norm, x.residual])).to.deep.equal([[4, 'tdbn', false]]);
    const g = rows[0]!.gradNormsInit;
    expect(rows[0]!.gradRatioInit).to.be.closeTo(g[3]! / g[0]!, 1e-12);
    expect(JSON.parse(readFileSync(join(out, 'depth.json'), 'utf8'))).to.deep.equal(rows);
    expect(readFileSync(join(out, 'depth.html'), 'utf8')).to.contain('<svg');
  });

  it('bench html re-renders depth.html from depth.json + depth.info.json byte for byte; a missing path is a clear error', async () => {
    const page = readFileSync(join(out, 'depth.html'), 'utf8');
    rmSync(join(out, 'depth.html'));
    const r = await capture(['bench', 'html', out]);
    expect(r.code, r.err).to.equal(0);
    expect(r.out.trim()).to.equal(`bench html: wrote ${join(out, 'depth.html')}`);
    expect(readFileSync(join(out, 'depth.html'), 'utf8')).to.equal(page);
    const missing = await capture(['bench', 'html', join(out, 'nope.json')]);
    expect(missing.code).to.not.equal(0);
    expect(missing.err).to.contain(`deepspike bench html: ${join(out, 'nope.json')} does not exist, got no such file or folder`);
  });

  it('bench accuracy --json records {model, accuracy, seconds, backend, epochs}', async () => {
    const r = await capture(['bench', 'accuracy', '--model', join(EXAMPLES, 'mnist-tdbn'), '--max-steps', '1', '--batch-size', '2', '--eval-batches', '1',
      '--backend', 'cpu', '--json', '--out', join(out, 'acc')]);
    expect(r.code, r.err).to.equal(0);
    const rec = JSON.parse(r.out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(rec).to.include({ model: 'mnist-tdbn', backend: 'cpu', epochs: 0, steps: 1, samples: 2, maxSteps: 1, complete: true });
    // plannedEpochs: the model file's training.epochs
    expect(rec.plannedEpochs).to.equal(JSON.parse(readFileSync(join(EXAMPLES, 'mnist-tdbn', 'mnist-tdbn.snn.json'), 'utf8')).training.epochs);
    expect(rec.accuracy).to.be.oneOf([0, 0.5, 1]);
    expect(rec.seconds).to.be.a('number');
  });

  it('bench accuracy --resume continues a stopped run; records samples/s, complete and the per-epoch history', async () => {
    const args = ['bench', 'accuracy', '--model', join(EXAMPLES, 'mnist-tdbn'), '--batch-size', '2', '--eval-batches', '1', '--backend', 'cpu', '--json', '--out', join(out, 'acc-resume')];
    const a = await capture([...args, '--max-steps', '1']);
    expect(a.code, a.err).to.equal(0);
    const b = await capture([...args, '--max-steps', '2', '--resume', '--checkpoint-every-steps', '1']);
    expect(b.code, b.err).to.equal(0);
    const rec = JSON.parse(b.out.trim().split('\n').pop()!) as { steps: number; complete: boolean; samplesPerSec: number; history: { step: number }[] };
    expect([rec.steps, rec.complete, rec.history.map((h) => h.step)]).to.deep.equal([2, true, [1, 2]]);
    expect(rec.samplesPerSec).to.be.greaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'acc-resume', 'accuracy.json'), 'utf8'))).to.deep.equal(rec);
  });

  it('bench timesteps takes the steps per T, writes the study after each T, and --resume keeps the finished T', async () => {
    const args = ['bench', 'timesteps', '--model', join(EXAMPLES, 'mnist-tdbn'), '--max-steps', '1', '--batch-size', '2', '--eval-batches', '1', '--backend', 'cpu', '--json', '--out', join(out, 'ts')];
    const a = await capture([...args, '--T', '1']);
    expect(a.code, a.err).to.equal(0);
    const first = JSON.parse(a.out.trim().split('\n').pop()!) as { timesteps: number; steps: number }[];
    expect(first.map((r) => [r.timesteps, r.steps])).to.deep.equal([[1, 1]]);
    const b = await capture([...args, '--T', '1,2', '--resume']);
    expect(b.code, b.err).to.equal(0);
    const rows = JSON.parse(b.out.trim().split('\n').pop()!) as { timesteps: number; steps: number }[];
    expect(rows[0]).to.deep.equal(first[0]);
    expect(rows.map((r) => [r.timesteps, r.steps])).to.deep.equal([[1, 1], [2, 1]]);
    expect(JSON.parse(readFileSync(join(out, 'ts', 'timesteps.json'), 'utf8'))).to.deep.equal(rows);
  });

  it('bench <model> (what nx run <model>:bench calls) is bench accuracy --model <model>; bench alone names the subcommands', async () => {
    const r = await capture(['bench', join(EXAMPLES, 'mnist-tdbn', 'mnist-tdbn.snn.json'), '--max-steps', '1', '--batch-size', '2', '--eval-batches', '1', '--backend', 'cpu', '--json', '--out', join(out, 'nx-bench')]);
    expect(r.code, r.err).to.equal(0);
    const rec = JSON.parse(r.out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(rec).to.include({ model: 'mnist-tdbn', steps: 1, samples: 2, complete: true });
    const none = await capture(['bench']);
    expect(none.code).to.equal(2);
    expect(none.err).to.contain('deepspike bench: no benchmark given, got nothing; expected a subcommand (training, profile, scaling, events, distributed, zoo, lif, compare, html, depth, accuracy, timesteps) or a model file.');
  });

  it('refuses bad lists and choices with exit code 2', async () => {
    const a = await capture(['bench', 'depth', '--depths', '8,x']);
    expect(a.code).to.equal(2);
    expect(a.err).to.contain('deepspike bench: --depths got "8,x"; expected a comma-separated list of integers >= 2, e.g. --depths 8,20.');
    const b = await capture(['bench', 'depth', '--residual', 'maybe']);
    expect(b.code).to.equal(2);
    expect(b.err).to.contain('deepspike bench: --residual got "maybe"; expected one of on, off, both.');
    const c = await capture(['bench', 'timesteps', '--model', join(EXAMPLES, 'mnist-tdbn'), '--T', '0,2']);
    expect(c.code).to.equal(2);
    expect(c.err).to.contain('deepspike bench: --T got "0,2"; expected a comma-separated list of integers >= 1');
  });
});
