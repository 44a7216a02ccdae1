import { expect } from 'chai';
import { runCli } from 'deepspike';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(['node', 'deepspike', ...argv]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
    process.stderr.write = write;
  }
}

describe('deepspike CLI', () => {
  it('reports the backend as JSON', async () => {
    const r = await capture(['backend', '--backend', 'cpu', '--json']);
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.out)).to.deep.equal({ backend: 'cpu', forced: true, skipped: [] });
  });

  it('refuses an unknown backend with exit code 2', async () => {
    const r = await capture(['backend', '--backend', 'gpu']);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal('deepspike backend: --backend got "gpu"; expected one of tensorflow, deepspike-native, wasm, cpu.');
  });

  it('answers an unknown command with exit code 2', async () => {
    const r = await capture(['trian']);
    expect(r.code).to.equal(2);
    expect(r.err).to.contain("unknown command 'trian'");
  });
});
