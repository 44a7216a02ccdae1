import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { Registry, initBackend, loadPlugins } from '@deepspike/core';
import { rankOrderEncoder } from '@deepspike-examples/plugin-rank-order';

describe('rank-order encoder plugin', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('fires the brightest input first and every input above threshold exactly once', () => {
    const x = tf.tensor2d([[0.1, 0.9, 0.5, 0]], [1, 4]);
    const s = rankOrderEncoder().encode(x, 3);
    expect(s.shape).to.deep.equal([3, 1, 4]);
    // firing inputs in rank order: 1 (0.9), 2 (0.5), 0 (0.1) -> steps floor(r*3/3) = 0, 1, 2
    expect(Array.from(s.dataSync())).to.deep.equal([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0]);
  });

  it('is loaded by package name and registers its encoder and schema', async () => {
    const reg = new Registry();
    await loadPlugins(['@deepspike-examples/plugin-rank-order'], reg);
    expect(reg.names('encoder')).to.deep.equal(['rank-order']);
    expect(reg.list('encoder')[0]?.plugin).to.equal('@deepspike-examples/plugin-rank-order');
    expect(reg.schemas().map((f) => `${f.kind}/${f.name}`)).to.deep.equal(['encoder/rank-order']);
    const enc = reg.get('encoder', 'rank-order').create({ threshold: 0.2 });
    const out = enc.encode(tf.tensor2d([[0.1, 0.3]]), 2);
    expect(Array.from(out.dataSync())).to.deep.equal([0, 1, 0, 0]);
  });
});
