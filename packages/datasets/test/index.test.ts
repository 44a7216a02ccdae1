import { expect } from 'chai';
import { installPlugin, Registry } from '@deepspike/core';
import type { Dataset } from '@deepspike/datasets';
import * as api from '@deepspike/datasets';
import { deepspikePlugin } from '@deepspike/datasets';

describe('@deepspike/datasets', () => {
  it('loads its public API and types the dataset kind by declaration merging', async () => {
    expect(api).to.be.an('object');
    const r = new Registry();
    const fake: Dataset = { name: 'fake', classes: 2, classNames: ['a', 'b'], inputShape: [1, 1, 1], kind: 'static',
      size: () => 1, get: async () => ({ x: new Float32Array([0.5]), label: 1 }) };
    r.register('dataset', 'fake', { open: async () => fake });
    const ds = await r.get('dataset', 'fake').open({ root: '/nowhere' });
    expect((await ds.get('train', 0)).label).to.equal(1);
  });

  it('registers every dataset under kind dataset', () => {
    const r = new Registry();
    installPlugin(deepspikePlugin, r);
    expect(r.names('dataset')).to.deep.equal(['cifar10', 'cifar10-dvs', 'cifar100', 'dvs-gesture', 'fashion-mnist', 'imagenet', 'mnist', 'mnist-saccade', 'ncaltech101', 'nmnist']);
  });
});
