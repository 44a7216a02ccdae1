import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, initBackend } from '@deepspike/core';

describe('initBackend', () => {
  after(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('chooses the first backend that loads and says why the others were skipped', async () => {
    const lines: string[] = [];
    const report = await initBackend(undefined, { log: (l) => lines.push(l), env: {} });
    expect(lines).to.deep.equal([report.line]);
    expect(tf.getBackend()).to.equal(report.backend);
    expect(report.forced).to.equal(false);
    // every backend before the chosen one appears with a reason
    const order = ['tensorflow', 'deepspike-native', 'wasm', 'cpu'];
    expect(report.skipped.map((s) => s.backend)).to.deep.equal(order.slice(0, order.indexOf(report.backend)));
    for (const s of report.skipped) {
      expect(s.reason).to.be.a('string').and.not.equal('');
      expect(report.line).to.contain(`${s.backend}: ${s.reason}`);
    }
    expect(report.line).to.match(new RegExp(`^deepspike: backend ${report.backend}`));
  });

  it('honours DEEPSPIKE_BACKEND=cpu', async () => {
    const report = await initBackend(undefined, { log: () => {}, env: { DEEPSPIKE_BACKEND: 'cpu' } });
    expect(report).to.deep.include({ backend: 'cpu', forced: true, line: 'deepspike: backend cpu (forced by DEEPSPIKE_BACKEND)' });
    expect(tf.getBackend()).to.equal('cpu');
  });

  it('runs the wasm backend when asked', async () => {
    const report = await initBackend('wasm', { log: () => {} });
    expect(report.backend).to.equal('wasm');
    expect(tf.getBackend()).to.equal('wasm');
    expect(Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync())).to.deep.equal([4, 6]);
  });

  it('fails, not falls back, when a forced backend cannot load', async () => {
    let installed = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      installed = false;
    }
    if (installed) return; // on a machine with libtensorflow the forced backend legitimately loads
    try {
      await initBackend(undefined, { log: () => {}, env: { DEEPSPIKE_BACKEND: 'tensorflow' } });
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(BackendError);
      expect((err as Error).message).to.equal(
        'initBackend: the forced backend "tensorflow" (from DEEPSPIKE_BACKEND) could not be loaded: @tensorflow/tfjs-node is not installed. ' +
          'Install @tensorflow/tfjs-node where the internet is reachable (its install downloads libtensorflow), or choose another backend.',
      );
    }
  });

  it('rejects an unknown backend name', async () => {
    try {
      await initBackend(undefined, { log: () => {}, env: { DEEPSPIKE_BACKEND: 'webgpu' } });
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(BackendError);
      expect((err as Error).message).to.equal(
        'initBackend: unknown backend "webgpu", got "webgpu"; expected one of tensorflow, deepspike-native, wasm, cpu. Set DEEPSPIKE_BACKEND to one of them or unset it.',
      );
    }
  });
});
