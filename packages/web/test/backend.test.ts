import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { wasmBinaryDir } from '@deepspike/core';
import { initWebBackend } from '@deepspike/web';

describe('initWebBackend', () => {
  let previous: string;
  before(() => {
    previous = tf.getBackend();
  });
  after(async () => {
    if (previous) await tf.setBackend(previous);
  });

  it('falls back from webgl (none under Node) to wasm and says why', async () => {
    const lines: string[] = [];
    const r = await initWebBackend({ wasmPaths: wasmBinaryDir(), log: (l) => lines.push(l) });
    expect(r.backend).to.equal('wasm');
    expect(tf.getBackend()).to.equal('wasm');
    expect(r.forced).to.equal(false);
    expect(r.skipped.map((s) => s.backend)).to.deep.equal(['webgl']);
    expect(r.skipped[0]!.reason).to.equal('tfjs-backend-webgl registered no backend (not a browser: no WebGL here)');
    expect(lines).to.deep.equal([`deepspike: backend wasm (skipped webgl: ${r.skipped[0]!.reason})`]);
  });

  it('starts a forced backend and reports it as forced', async () => {
    const r = await initWebBackend({ backend: 'cpu', log: () => {} });
    expect(r).to.deep.include({ backend: 'cpu', forced: true, line: 'deepspike: backend cpu (forced)' });
    expect(tf.getBackend()).to.equal('cpu');
  });

  it('refuses an unknown name, listing the known ones', async () => {
    await initWebBackend({ backend: 'metal' as 'cpu' }).then(() => expect.fail('accepted "metal"'), (e: Error) =>
      expect(e.message).to.equal('initWebBackend: unknown backend, got "metal"; expected one of webgl, wasm, cpu. Pass one of those names or none to let it choose.'));
  });

  it('fails a forced webgl with the cause and the fix, without falling back', async () => {
    const before = tf.getBackend();
    await initWebBackend({ backend: 'webgl', log: () => {} }).then(() => expect.fail('webgl started under Node'), (e: Error) =>
      expect(e.message).to.match(/^initWebBackend: the forced backend "webgl" could not start, got ".+"; expected it to load\. This browser has no usable WebGL/));
    expect(tf.getBackend()).to.equal(before);
  });
});
