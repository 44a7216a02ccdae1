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

  it('bench accuracy --json records {model, accuracy, seconds, backend, epochs}', async () => {
    const r = await capture(['bench', 'accuracy', '--model', join(EXAMPLES, 'mnist-tdbn'), '--max-steps', '1', '--batch-size', '2', '--eval-batches', '1',
      '--backend', 'cpu', '--json', '--out', join(out, 'acc')]);
    expect(r.code, r.err).to.equal(0);
    const rec = JSON.parse(r.out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(rec).to.include({ model: 'mnist-tdbn', backend: 'cpu', epochs: 0, steps: 1, samples: 2 });
    expect(rec.accuracy).to.be.oneOf([0, 0.5, 1]);
    expect(rec.seconds).to.be.a('number');
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
