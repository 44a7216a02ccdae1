import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, InvalidArgumentError, registry, installPlugin } from '@deepspike/core';
import { createLoader } from '@deepspike/datasets';
import { deepspikePlugin, openToyPatterns, alifMessages } from '../src/index.js';

describe('toy-spike-patterns dataset', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    installPlugin(deepspikePlugin);
  });

  it('is opened from the registry with the Dataset metadata', async () => {
    const ds = await registry.get('dataset', 'toy-spike-patterns').open({ side: 6, trainSize: 10, testSize: 4 });
    expect([ds.name, ds.classes, ds.classNames, ds.inputShape, ds.kind, ds.size('train'), ds.size('test')]).to.deep.equal(['toy-spike-patterns', 2, ['horizontal', 'vertical'], [6, 6, 1], 'static', 10, 4]);
  });

  it('is a pure function of (seed, split, index): same sample twice, different across seeds and splits', async () => {
    const a = openToyPatterns({ seed: 3 });
    const b = openToyPatterns({ seed: 3 });
    const c = openToyPatterns({ seed: 4 });
    const s = await a.get('train', 5);
    expect(Array.from(s.x)).to.deep.equal(Array.from((await b.get('train', 5)).x));
    expect(Array.from(s.x)).to.not.deep.equal(Array.from((await c.get('train', 5)).x));
    expect(Array.from(s.x)).to.not.deep.equal(Array.from((await a.get('test', 5)).x));
  });

  it('lights the class bars with probability `on` and the rest with `noise`', async () => {
    const ds = openToyPatterns({ side: 8, trainSize: 400, on: 0.8, noise: 0.1 });
    const count = { bar: 0, barOn: 0, other: 0, otherOn: 0 };
    for (let i = 0; i < 400; i++) {
      const { x, label } = await ds.get('train', i);
      expect(label).to.equal(i % 2);
      x.forEach((v, k) => {
        expect(v === 0 || v === 1).to.equal(true);
        const bar = label === 0 ? Math.floor(k / 8) % 2 === 0 : (k % 8) % 2 === 0;
        if (bar) { count.bar++; count.barOn += v; } else { count.other++; count.otherOn += v; }
      });
    }
    // 12,800 pixels each: the standard error of a rate is below 0.004.
    expect(count.barOn / count.bar).to.be.closeTo(0.8, 0.015);
    expect(count.otherOn / count.other).to.be.closeTo(0.1, 0.015);
  });

  it('feeds the datasets loader: [N, 8, 8, 1] float32 batches and int32 labels', async () => {
    const ds = openToyPatterns({ trainSize: 10 });
    const loader = createLoader(ds, { split: 'train', batchSize: 4, shuffle: true, seed: 1 });
    const shapes: number[][] = [];
    const labels: number[] = [];
    for await (const { x, y, indices } of loader) {
      shapes.push(x.shape);
      const ys = Array.from(y.dataSync());
      ys.forEach((l, i) => expect(l).to.equal((indices[i] as number) % 2));
      labels.push(...ys);
      expect(y.dtype).to.equal('int32');
      tf.dispose([x, y]);
    }
    expect(shapes).to.deep.equal([[4, 8, 8, 1], [4, 8, 8, 1], [2, 8, 8, 1]]);
    expect(labels.filter((l) => l === 1).length).to.equal(5);
  });

  it('rejects bad options, splits and indices with the house messages', async () => {
    expect(() => openToyPatterns({ side: 2 })).to.throw(InvalidArgumentError, alifMessages.datasetOption('side', 2, 'an integer in [4, 64]'));
    expect(() => openToyPatterns({ noise: 1.5 })).to.throw(InvalidArgumentError, alifMessages.datasetOption('noise', 1.5, 'a probability in [0, 1]'));
    const ds = openToyPatterns({ testSize: 4 });
    let err: unknown;
    try { await ds.get('test', 4); } catch (e) { err = e; }
    expect((err as Error).message).to.equal(alifMessages.sampleIndex('test', 4, 4));
    expect(() => ds.size('val' as 'test')).to.throw(alifMessages.split('val'));
  });
});
