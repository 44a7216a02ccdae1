import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { NonFiniteLossError, train, trainMessages, type TrainOptions } from '@deepspike/train';
import { TinyNet, snapshot, tinyDataset, tinySpec } from './fixtures/tiny.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'deepspike-train-'));
const quiet = { progress: 'silent', report: false, log: () => {} } as const;

function run(out: string, extra: Partial<TrainOptions> = {}): ReturnType<typeof train> {
  const spec = extra.spec ?? tinySpec();
  return train({ spec, buildModel: (s) => new TinyNet(s.training!.seed!), dataset: tinyDataset(), out, ...quiet, ...extra });
}

describe('trainer', function () {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = tmp();
    dirs.push(d);
    return d;
  };
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('overfits 32 samples to 100 % accuracy', async () => {
    const r = await run(dir(), { epochs: 40, spec: tinySpec({ batchSize: 8, optimizer: { name: 'adam', lr: 0.02 } }) });
    expect(r.test!.samples).to.equal(32);
    expect(r.test!.accuracy).to.equal(1);
    expect(r.steps).to.equal(40 * 4);
    r.model.dispose();
  });

  it('is deterministic: the same seed gives the same weights, another seed others', async () => {
    const a = await run(dir(), { maxSteps: 6 });
    const b = await run(dir(), { maxSteps: 6 });
    const c = await run(dir(), { maxSteps: 6, seed: 4 });
    expect(snapshot(a.model)).to.deep.equal(snapshot(b.model));
    expect(snapshot(a.model)['fc1.kernel']).to.not.deep.equal(snapshot(c.model)['fc1.kernel']);
    [a, b, c].forEach((r) => r.model.dispose());
  });

  it('resuming equals uninterrupted training (mid-epoch stop, across an epoch boundary)', async () => {
    const whole = await run(dir(), { maxSteps: 10, epochs: 3, spec: tinySpec({ optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } }) });
    const out = dir();
    const spec = tinySpec({ optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } });
    const first = await run(out, { maxSteps: 3, epochs: 3, spec, checkpointEverySteps: 2 });
    expect(first.steps).to.equal(3);
    first.model.dispose();
    const second = await run(out, { maxSteps: 10, epochs: 3, spec, resume: out });
    expect(second.steps).to.equal(10);
    expect(snapshot(second.model)).to.deep.equal(snapshot(whole.model));
    // metrics continue without duplicate steps
    const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'train').map((r) => r.step);
    expect(steps).to.deep.equal([...new Set(steps)]);
    [whole, second].forEach((r) => r.model.dispose());
  });

  it('resuming a model with seeded dropout draws the same masks as an uninterrupted run', async () => {
    const build = (s: ReturnType<typeof tinySpec>) => new TinyNet(s.training!.seed!, 24, 4, 3, 0.3);
    const whole = await run(dir(), { maxSteps: 7, buildModel: build });
    const out = dir();
    (await run(out, { maxSteps: 3, buildModel: build })).model.dispose();
    const resumed = await run(out, { maxSteps: 7, buildModel: build, resume: out });
    expect(snapshot(resumed.model)).to.deep.equal(snapshot(whole.model));
    [whole, resumed].forEach((r) => r.model.dispose());
  });

  it('clips gradients by global norm: plain SGD then moves the weights by at most lr·maxNorm per step', async () => {
    const spec = tinySpec({ optimizer: { name: 'sgd', lr: 0.1, momentum: 0 } });
    const before = snapshot(new TinyNet(3));
    const r = await run(dir(), { maxSteps: 2, spec, clipGradNorm: 1e-3 });
    const after = snapshot(r.model);
    let sq = 0;
    for (const k of Object.keys(before)) before[k]!.forEach((v, i) => (sq += (after[k]![i]! - v) ** 2));
    expect(Math.sqrt(sq)).to.be.greaterThan(0).and.at.most(2 * 0.1 * 1e-3 * 1.001);
    r.model.dispose();
  });

  it('resuming a finished run changes nothing and still reports the test accuracy', async () => {
    const out = dir();
    const done = await run(out, { maxSteps: 4 });
    const again = await run(out, { maxSteps: 4, resume: true });
    expect(again.steps).to.equal(4);
    expect(again.test!.accuracy).to.equal(done.test!.accuracy);
    expect(snapshot(again.model)).to.deep.equal(snapshot(done.model));
    [done, again].forEach((r) => r.model.dispose());
  });

  it('refuses a fresh run into a directory that holds a run (its checkpoints would mix), pointing to --resume', async () => {
    const out = dir();
    (await run(out, { maxSteps: 2 })).model.dispose();
    let err: unknown;
    try {
      await run(out, { maxSteps: 2 });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.equal(trainMessages.outHoldsRun(out, join(out, 'checkpoint', 'step-00000002')));
  });

  it('refuses to resume a checkpoint of a different spec, saying what differs', async () => {
    const out = dir();
    (await run(out, { maxSteps: 2 })).model.dispose();
    const other = tinySpec({ loss: 'rate-mse' });
    let err: unknown;
    try {
      await run(out, { resume: out, spec: other });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.contain('was made from a different model spec');
    expect(String(err)).to.contain('training.loss: "rate-ce" in the checkpoint, "rate-mse" now');
  });

  it('stops on a non-finite loss naming the step, the layer and the last good checkpoint', async () => {
    const out = dir();
    const model = new TinyNet(3);
    // the neuron layer starts emitting NaN on its 4th call (training step 4)
    let calls = 0;
    const forward = model.sn1.forward.bind(model.sn1);
    model.sn1.forward = (x) => {
      const s = forward(x);
      return ++calls >= 4 ? tf.mul(s, NaN) : s;
    };
    let err: NonFiniteLossError | undefined;
    try {
      await run(out, { model, epochs: 5, checkpointEverySteps: 1 });
    } catch (e) {
      err = e as NonFiniteLossError;
    }
    expect(err).to.be.instanceOf(NonFiniteLossError);
    expect(err!.step).to.equal(4);
    expect(err!.culprit).to.equal('the output of layer "sn1"');
    expect(err!.checkpoint).to.equal(join(out, 'checkpoint', 'step-00000003'));
    expect(err!.message).to.equal(trainMessages.nonFinite(4, NaN, 'the output of layer "sn1"', err!.checkpoint));
    model.dispose();
  });

  it('names a parameter that already holds Inf', async () => {
    let err: NonFiniteLossError | undefined;
    try {
      await run(dir(), { epochs: 5, spec: tinySpec({ optimizer: { name: 'sgd', lr: 1e38, momentum: 0 } }) });
    } catch (e) {
      err = e as NonFiniteLossError;
    }
    expect(err).to.be.instanceOf(NonFiniteLossError);
    expect(err!.message).to.contain(`at step ${err!.step}`);
    expect(err!.culprit).to.match(/^(parameter "fc\d\.(kernel|bias)"|the output of layer "fc\d"|no single layer)/);
  });

  it('writes metrics.jsonl (train and eval records with firing rates) and a self-contained report', async () => {
    const out = dir();
    const r = await run(out, { epochs: 2, logEvery: 2, report: true });
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const train = lines.filter((l) => l.type === 'train');
    const evals = lines.filter((l) => l.type === 'eval');
    expect(train.map((l) => l.step)).to.deep.equal([2, 4, 6, 8]);
    expect(evals.map((l) => [l.step, l.epoch])).to.deep.equal([[4, 1], [8, 2]]);
    for (const l of lines) {
      expect(Object.keys(l.firingRates)).to.deep.equal(['sn1']);
      expect(l.firingRates.sn1).to.be.within(0, 1);
    }
    expect(train[0].lr).to.equal(0.01);
    expect(evals[1].accuracy).to.equal(r.test!.accuracy);
    const html = readFileSync(r.reportPath!, 'utf8');
    expect(html).to.not.match(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect((html.match(/<svg/g) ?? []).length).to.be.greaterThanOrEqual(4);
    expect(html).to.contain('Spike raster');
    r.model.dispose();
  });

  it('does not leak tensors over a run', async () => {
    const model = new TinyNet(3);
    const before = tf.memory().numTensors;
    await train({ spec: tinySpec(), model, dataset: tinyDataset(), out: dir(), ...quiet, maxSteps: 6 });
    // the optimiser's slots are freed; the neuron's last rate tensor stays (1)
    expect(tf.memory().numTensors - before).to.be.at.most(1);
    model.dispose();
  });

  describe('checkpoint schedule (training.checkpointEvery is in epochs; 4 steps per epoch here)', () => {
    const saved = (out: string): string[] => readdirSync(join(out, 'checkpoint')).filter((d) => d.startsWith('step-')).sort();
    const keep = { keepCheckpoints: 100 };

    it('2 epochs with checkpointEvery 2 write exactly one checkpoint, at the end of epoch 2', async () => {
      const out = dir();
      const r = await run(out, { ...keep, spec: tinySpec({ epochs: 2, checkpointEvery: 2 }) });
      expect(r.steps).to.equal(8);
      expect(saved(out)).to.deep.equal(['step-00000008']);
      r.model.dispose();
    });

    it('5 epochs with checkpointEvery 2 save after epochs 2 and 4 and at the end (epoch 5 always saves)', async () => {
      const out = dir();
      (await run(out, { ...keep, spec: tinySpec({ epochs: 5, checkpointEvery: 2 }) })).model.dispose();
      expect(saved(out)).to.deep.equal(['step-00000008', 'step-00000016', 'step-00000020']);
    });

    it('the default (no checkpointEvery in the file) is every epoch', async () => {
      const out = dir();
      (await run(out, { ...keep, spec: tinySpec({ epochs: 3 }) })).model.dispose();
      expect(saved(out)).to.deep.equal(['step-00000004', 'step-00000008', 'step-00000012']);
    });

    it('checkpointEveryEpochs (--checkpoint-every-epochs) overrides the file; checkpointEverySteps (--checkpoint-every-steps) adds saves inside epochs', async () => {
      const a = dir();
      (await run(a, { ...keep, spec: tinySpec({ epochs: 3, checkpointEvery: 2 }), checkpointEveryEpochs: 1 })).model.dispose();
      expect(saved(a)).to.deep.equal(['step-00000004', 'step-00000008', 'step-00000012']);
      const b = dir();
      (await run(b, { ...keep, spec: tinySpec({ epochs: 2, checkpointEvery: 2 }), checkpointEverySteps: 3 })).model.dispose();
      expect(saved(b)).to.deep.equal(['step-00000003', 'step-00000006', 'step-00000008']);
      const c = dir();
      (await run(c, { ...keep, spec: tinySpec({ epochs: 3, checkpointEvery: 2 }), maxSteps: 6 })).model.dispose();
      expect(saved(c), 'a maxSteps stop saves at its step').to.deep.equal(['step-00000006']);
    });

    it('refuses a checkpoint interval that is not a positive integer', async () => {
      for (const extra of [{ checkpointEveryEpochs: 0 }, { checkpointEverySteps: 1.5 }, { spec: tinySpec({ checkpointEvery: -1 }) }] as Partial<TrainOptions>[]) {
        let err: unknown;
        try {
          await run(dir(), extra);
        } catch (e) {
          err = e;
        }
        expect(String(err)).to.match(/train: option (checkpointEvery|checkpointEverySteps) got (0|1\.5|-1); expected an integer > 0/);
      }
    });

    it('resuming from an epoch checkpoint (checkpointEvery 2) equals an uninterrupted run', async () => {
      const spec = tinySpec({ epochs: 4, checkpointEvery: 2, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } });
      const whole = await run(dir(), { spec });
      const out = dir();
      // A run that dies during epoch 4 leaves the epoch-2 checkpoint (step 8): simulate it with maxSteps 8.
      const first = await run(out, { spec, maxSteps: 8, ...keep });
      expect(saved(out)).to.deep.equal(['step-00000008']);
      first.model.dispose();
      const resumed = await run(out, { spec, resume: out, ...keep });
      expect(resumed.steps).to.equal(16);
      expect(saved(out)).to.deep.equal(['step-00000008', 'step-00000016']);
      expect(snapshot(resumed.model)).to.deep.equal(snapshot(whole.model));
      [whole, resumed].forEach((r) => r.model.dispose());
    });

    it('reports each evaluation (epoch ends and the end) to onEvaluation, and the training samples/s', async () => {
      const seen: [number, number, boolean][] = [];
      const r = await run(dir(), { spec: tinySpec({ epochs: 2 }), onEvaluation: (e) => void seen.push([e.epoch, e.step, e.final]) });
      expect(seen).to.deep.equal([[1, 4, false], [2, 8, true]]);
      expect(r.samplesPerSec).to.be.greaterThan(0);
      r.model.dispose();
    });
  });

  it('keeps only the newest checkpoints', async () => {
    const out = dir();
    (await run(out, { maxSteps: 7, checkpointEverySteps: 2, keepCheckpoints: 2 })).model.dispose();
    expect(existsSync(join(out, 'checkpoint', 'step-00000007'))).to.equal(true);
    expect(existsSync(join(out, 'checkpoint', 'step-00000006'))).to.equal(true);
    expect(existsSync(join(out, 'checkpoint', 'step-00000004'))).to.equal(false);
    expect(JSON.parse(readFileSync(join(out, 'checkpoint', 'latest.json'), 'utf8'))).to.deep.equal({ step: 7, dir: 'step-00000007' });
  });
});
