import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepSpikeError, initBackend } from '@deepspike/core';
import { paperMessages, resolveModelFile, runAccuracy, runTimesteps } from '@deepspike/bench';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

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
    expect(JSON.parse(readFileSync(join(out, 'mnist', 'accuracy.json'), 'utf8'))).to.deep.equal(r);
    expect(existsSync(join(out, 'mnist', 'report.html'))).to.equal(true);
  });

  it('trains the N-MNIST-style saccade model on mnist-saccade event frames [6, N, 34, 34, 2]', async () => {
    const r = await runAccuracy({ model: join(EXAMPLES, 'nmnist-saccade'), maxSteps: 1, batchSize: 2, evalBatches: 1, out: join(out, 'saccade') });
    expect(r.model).to.equal('nmnist-saccade');
    expect(r.dataset).to.equal('mnist-saccade');
    expect(r.timesteps).to.equal(6);
    expect(r.samples).to.equal(2);
    expect(r.steps).to.equal(1);
  });

  it('accuracy vs T trains once per T and writes timesteps.json / timesteps.html', async () => {
    const rows = await runTimesteps({ model: join(EXAMPLES, 'mnist-tdbn'), T: [1, 2], maxSteps: 1, batchSize: 4, evalBatches: 1, out: join(out, 'ts') });
    expect(rows.map((r) => r.timesteps)).to.deep.equal([1, 2]);
    for (const r of rows) expect(r.accuracy).to.be.within(0, 1);
    expect(JSON.parse(readFileSync(join(out, 'ts', 'timesteps.json'), 'utf8'))).to.have.length(2);
    expect(readFileSync(join(out, 'ts', 'timesteps.html'), 'utf8')).to.match(/<svg/);
    expect(existsSync(join(out, 'ts', 'T2', 'accuracy.json'))).to.equal(true);
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
