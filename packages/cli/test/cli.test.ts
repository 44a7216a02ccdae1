import { expect } from 'chai';
import { capture } from './capture.js';

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
