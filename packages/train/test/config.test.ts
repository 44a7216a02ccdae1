import { expect } from 'chai';
import { diffSpecs, hashSpec, resolveConfig, resolveDeterministic, runSettings, scheduleOptions, settingsHtml, type TrainableSpec, type TrainingSection } from '@deepspike/train';

/** A whole model spec (as the DSL's validator returns it) around a training section. */
const model = (training?: TrainingSection): TrainableSpec => ({ name: 'm', input: { shape: [1] }, timesteps: 1, layers: [{ type: 'linear', units: 1 }], ...(training ? { training } : {}) });

describe('training config and spec identity', () => {
  const spec = model({ dataset: { name: 'mnist' } });

  it('applies the schema defaults', () => {
    const c = resolveConfig(spec);
    expect(c).to.deep.include({ batchSize: 64, epochs: 1, seed: 0, augment: undefined, clipGradNorm: undefined });
    expect(c.optimizer).to.deep.equal({ name: 'sgd', options: { momentum: 0.9 }, lr: 0.1 });
    expect(c.loss).to.deep.equal({ name: 'rate-ce', options: {} });
    expect(c.schedule).to.deep.equal({ name: 'constant', options: {} });
  });

  it('lets overrides win and maps augmentation to loader options', () => {
    const c = resolveConfig(
      model({ dataset: { name: 'cifar10' }, epochs: 9, optimizer: { name: 'adamw', lr: 0.002, momentum: 0.9, weightDecay: 0.05 }, augmentation: { randomCrop: { padding: 4 }, flip: true } }),
      { epochs: 2, batchSize: 16, seed: 7 },
    );
    expect(c).to.deep.include({ epochs: 2, batchSize: 16, seed: 7 });
    expect(c.optimizer).to.deep.equal({ name: 'adamw', options: { weightDecay: 0.05 }, lr: 0.002 });
    expect(c.augment).to.deep.equal({ randomCrop: { padding: 4 }, flip: true });
  });

  it('converts epoch-based schedule options to steps', () => {
    const c = resolveConfig(model({ dataset: { name: 'x' }, optimizer: { name: 'sgd', lr: 0.1 }, schedule: { name: 'step', options: { every: 30, gamma: 0.1, warmupEpochs: 1 } } }));
    expect(scheduleOptions(c, 100, 9000)).to.deep.equal({ lr: 0.1, totalSteps: 9000, stepSize: 3000, warmupSteps: 100, gamma: 0.1 });
  });

  it('refuses a spec without a training dataset', () => {
    expect(() => resolveConfig(model())).to.throw(/training\.dataset\.name got undefined/);
    expect(() => resolveConfig(spec, { epochs: 0 })).to.throw('train: option epochs got 0; expected an integer > 0. Fix the option.');
  });

  it('hashes specs stably (key order, $schema and description do not count) and lists differences', () => {
    const a = { name: 'm', $schema: 'x', description: 'one', layers: [{ type: 'conv2d', filters: 32 }], training: { dataset: { name: 'mnist' } } };
    const b = { training: { dataset: { name: 'mnist' } }, layers: [{ filters: 32, type: 'conv2d' }], name: 'm', description: 'two' };
    expect(hashSpec(a)).to.equal(hashSpec(b));
    const c = { ...b, layers: [{ type: 'conv2d', filters: 64 }, { type: 'flatten' }] };
    expect(hashSpec(c)).to.not.equal(hashSpec(a));
    expect(diffSpecs(a, c)).to.deep.equal(['layers length: 1 in the checkpoint, 2 now', 'layers[0].filters: 32 in the checkpoint, 64 now']);
  });

  it('lists the effective settings and where each came from, and writes them into the spec the report shows', () => {
    const file = model({ dataset: { name: 'mnist' }, epochs: 10, batchSize: 16, seed: 3 });
    const options = { epochs: 1, maxSteps: 3 };
    const { settings, effectiveSpec } = runSettings(file, options, resolveConfig(file, options));
    expect(settings).to.deep.equal([
      { name: 'epochs', flag: '--epochs', value: 1, source: 'option', fileValue: 10 },
      { name: 'batchSize', flag: '--batch-size', value: 16, source: 'file' },
      { name: 'seed', flag: '--seed', value: 3, source: 'file' },
      { name: 'checkpointEvery', flag: '--checkpoint-every-epochs', value: 1, source: 'default' },
      { name: 'clipGradNorm', flag: '--clip-grad-norm', value: null, source: 'default' },
      { name: 'maxSteps', flag: '--max-steps', value: 3, source: 'option' },
      { name: 'checkpointEverySteps', flag: '--checkpoint-every-steps', value: null, source: 'default' },
    ]);
    expect(effectiveSpec.training).to.deep.equal({ dataset: { name: 'mnist' }, epochs: 1, batchSize: 16, seed: 3, checkpointEvery: 1 });
    expect(file.training?.epochs, 'the spec itself is not changed').to.equal(10);
    expect(settingsHtml(settings.slice(0, 1))).to.contain('<tr><td>epochs</td><td>1</td><td>flag / train() option (--epochs), model file: 10</td></tr>');
  });

  it("says a resumed run's seed is the checkpoint's", () => {
    const file = model({ dataset: { name: 'mnist' }, seed: 3 });
    // resolveConfig gets the saved seed (7) when a run resumes.
    const seed = runSettings(file, {}, resolveConfig(file, { seed: 7 })).settings.find((x) => x.name === 'seed');
    expect(seed).to.deep.equal({ name: 'seed', flag: '--seed', value: 7, source: 'checkpoint', fileValue: 3 });
  });
});

describe('deterministic reductions option', () => {
  it('is off by default, 8-sample blocks when on, or the given granule', () => {
    expect(resolveDeterministic(undefined, 64, null)).to.equal(null);
    expect(resolveDeterministic(false, 64, null)).to.equal(null);
    expect(resolveDeterministic(true, 64, null)).to.equal(8);
    expect(resolveDeterministic({ granule: 4 }, 10, null)).to.equal(4);
    expect(() => resolveDeterministic({ granule: 0 }, 64, null)).to.throw(/deterministic\.granule got 0; expected an integer >= 1/);
  });

  it('data-parallel: each rank\'s shard must be a power-of-two number of blocks, or it names the rank and the fix', () => {
    expect(resolveDeterministic(true, 64, { size: 2 })).to.equal(8);
    expect(resolveDeterministic(true, 64, { size: 8 })).to.equal(8);
    expect(() => resolveDeterministic(true, 48, { size: 2 })).to.throw(/got 24 samples on rank 0; expected 8, 16, 32, … per rank\. Choose a batch size of 2·8·2\^k/);
    expect(() => resolveDeterministic(true, 64, { size: 3 })).to.throw(/got 21 samples on rank 0/);
  });
});
