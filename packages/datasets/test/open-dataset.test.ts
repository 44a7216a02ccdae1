import { expect } from 'chai';
import { registry } from '@deepspike/core';
import { openDataset } from '@deepspike/datasets';

describe('openDataset', () => {
  it('opens a first-party dataset by name, installing this package when nothing provides it yet', async () => {
    const ds = await openDataset('mnist-saccade', { samples: 4, size: 28 });
    expect(registry.has('dataset', 'mnist-saccade')).to.equal(true);
    expect(ds.name).to.be.a('string');
    expect(ds.size('train')).to.be.greaterThan(0);
  });

  it('names the dataset no plugin registers', async () => {
    let err: unknown;
    try {
      await openDataset('no-such-dataset', {});
    } catch (e) {
      err = e;
    }
    expect(String((err as Error)?.message)).to.equal(
      'train: the dataset "no-such-dataset" is not registered, got no entry; expected a dataset plugin to provide it. Load the plugin that provides it (first-party datasets come from @deepspike/datasets).',
    );
  });
});
