import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { setBatchStatsSync } from '@deepspike/core';
import { TdBN, tdbnWithStats } from '@deepspike/tdbn';
import { useBackend } from './helpers.js';

describe('synchronised batch statistics (SyncBatchNorm) outside a capable backend', () => {
  before(() => useBackend('cpu'));
  afterEach(() => setBatchStatsSync(null));

  it('refuses to normalise with local statistics while a sync is installed, naming the way out', () => {
    setBatchStatsSync({ size: 2, rank: 0, allreduceSum: () => {} });
    const x = tf.randomNormal([2, 4, 3]);
    const opts = { alpha: 1, vth: 0.5, lambda: tf.ones([3]), beta: tf.zeros([3]) };
    expect(() => tdbnWithStats(x, opts)).to.throw(/tdbn: synchronised batch statistics \(SyncBatchNorm across ranks\) need a backend whose tdBN kernels all-reduce them, got backend cpu; .*--no-sync-bn/);
    expect(() => tdbnWithStats(x, { ...opts, implementation: 'composite' })).to.throw(/got the composite tf\.js path/);
    setBatchStatsSync(null);
    expect(() => tf.dispose(Object.values(tdbnWithStats(x, opts)))).to.not.throw();
  });

  it('a norm layer first sums its value count over the replicas (for the running variance\'s n/(n - 1)), then refuses the cpu kernels', () => {
    // The global-count equivalence itself runs on deepspike-native: test/distributed.test.ts of the cli
    // compares the running statistics of 2 ranks with one process bit for bit.
    const sums: number[][] = [];
    setBatchStatsSync({ size: 2, rank: 0, allreduceSum: (b) => { sums.push([...b]); b[0] = (b[0] as number) * 2; } });
    const bn = new TdBN('bn', { channels: 3 });
    bn.setTraining(true);
    const x = tf.randomNormal([2, 4, 3]);
    expect(() => bn.forward(x)).to.throw(/synchronised batch statistics/);
    expect(sums).to.deep.equal([[8]]);
  });
});
