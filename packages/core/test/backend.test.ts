import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, TENSORFLOW_PACKAGES, importTensorflowPackage, initBackend } from '@deepspike/core';

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
    const installed = await importTensorflowPackage().then(() => true, () => false);
    if (installed) return; // on a machine with libtensorflow the forced backend legitimately loads
    try {
      await initBackend(undefined, { log: () => {}, env: { DEEPSPIKE_BACKEND: 'tensorflow' } });
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(BackendError);
      expect((err as Error).message).to.equal(
        'initBackend: the forced backend "tensorflow" (from DEEPSPIKE_BACKEND) could not be loaded: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed. ' +
          'Install @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node where the internet is reachable (their install downloads libtensorflow), ' +
          'or choose another backend. See docs/gpu.md.',
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

  it('prints no tf.js "running TensorFlow.js in Node.js" banner on the first tensor, and leaves tf.js warnings on', function () {
    this.timeout(60_000);
    // A fresh process: the banner comes once per cpu-backend instance, which this one has used already.
    const script = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import { initBackend } from '@deepspike/core';",
      "await initBackend('cpu');",
      "tf.add(tf.tensor1d([1]), tf.tensor1d([2])).dataSync();",
      "console.log(JSON.stringify({ prod: tf.env().getBool('PROD') }));",
      "tf.backend_util.warn('a later tf.js warning');",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=deepspike-source', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('deepspike: backend cpu (forced by initBackend argument)\n{"prod":false}\n');
    expect(r.stderr).to.equal('a later tf.js warning\n');
  });
});

describe('the tensorflow backend packages', () => {
  /** An importer standing in for node_modules: the named packages load, others fail as Node does. */
  const fakeImporter = (installed: Record<string, string | null>) => {
    const tried: string[] = [];
    const importer = async (name: string): Promise<unknown> => {
      tried.push(name);
      if (!(name in installed)) throw Object.assign(new Error(`Cannot find package '${name}' imported from x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
      const failure = installed[name];
      if (failure) throw new Error(`${failure}\n    at dlopen`);
      return {};
    };
    return { importer, tried };
  };

  it('tries tfjs-node-gpu before tfjs-node', () => {
    expect(TENSORFLOW_PACKAGES).to.deep.equal(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  });

  it('takes tfjs-node-gpu when both are installed, and does not import tfjs-node', async () => {
    const { importer, tried } = fakeImporter({ '@tensorflow/tfjs-node-gpu': null, '@tensorflow/tfjs-node': null });
    expect(await importTensorflowPackage(importer)).to.deep.equal({ package: '@tensorflow/tfjs-node-gpu', skipped: [] });
    expect(tried).to.deep.equal(['@tensorflow/tfjs-node-gpu']);
  });

  it('falls back to tfjs-node, saying why tfjs-node-gpu did not load', async () => {
    const { importer } = fakeImporter({ '@tensorflow/tfjs-node-gpu': 'libcudart.so.11.0: cannot open shared object file', '@tensorflow/tfjs-node': null });
    expect(await importTensorflowPackage(importer)).to.deep.equal({
      package: '@tensorflow/tfjs-node',
      skipped: [{ package: '@tensorflow/tfjs-node-gpu', reason: 'libcudart.so.11.0: cannot open shared object file' }],
    });
  });

  it('names both packages when neither is installed, and each failure when they fail to load', async () => {
    const none = fakeImporter({});
    await importTensorflowPackage(none.importer).then(
      () => expect.fail('expected an error'),
      (err: Error) => expect(err.message).to.equal('neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed'),
    );
    expect(none.tried).to.deep.equal(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    const broken = fakeImporter({ '@tensorflow/tfjs-node': 'The specified module could not be found' });
    await importTensorflowPackage(broken.importer).then(
      () => expect.fail('expected an error'),
      (err: Error) =>
        expect(err.message).to.equal(
          '@tensorflow/tfjs-node-gpu: @tensorflow/tfjs-node-gpu is not installed, @tensorflow/tfjs-node: The specified module could not be found',
        ),
    );
  });

  it('the start-up line says the tensorflow backend is skipped because neither package is installed (here)', async function () {
    if (await importTensorflowPackage().then(() => true, () => false)) this.skip(); // libtensorflow present: it loads
    const report = await initBackend(undefined, { log: () => {}, env: {} });
    expect(report.skipped[0]).to.deep.equal({ backend: 'tensorflow', reason: 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed' });
  });
});
