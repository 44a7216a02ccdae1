import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { createLoader, datasetEntries, DatasetFormatError, openMnist, type Batch, type Dataset, type DataLoader } from '@deepspike/datasets';

/** A tiny dataset whose sample i is the image filled with i/100 (H=W=4, C=1), label i % 3. */
function ramp(n: number, kind: 'static' | 'events' = 'static'): Dataset {
  const shape = kind === 'static' ? [4, 4, 1] : [2, 4, 4, 2];
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    name: 'ramp', classes: 3, classNames: ['a', 'b', 'c'], inputShape: shape, kind,
    normalization: kind === 'static' ? { mean: [0.5], std: [0.25] } : undefined,
    size: () => n,
    get: async (_s, i) => ({ x: Float32Array.from({ length: size }, (_, k) => i / 100 + (kind === 'events' ? k : 0)), label: i % 3 }),
  };
}

async function collect(loader: DataLoader): Promise<{ x: number[][]; y: number[][]; idx: number[][] }> {
  const out = { x: [] as number[][], y: [] as number[][], idx: [] as number[][] };
  for await (const b of loader) {
    out.x.push(Array.from(await b.x.data()));
    out.y.push(Array.from(await b.y.data()));
    out.idx.push(Array.from(b.indices));
    tf.dispose([b.x, b.y]);
  }
  return out;
}

describe('createLoader', () => {
  before(async () => void (await initBackend('cpu', { log: () => {} })));

  it('batches in order with labels, normalisation and a short last batch', async () => {
    const loader = createLoader(ramp(5), { split: 'train', batchSize: 2 });
    expect(loader.batchesPerEpoch).to.equal(3);
    const shapes: number[][] = [];
    const r = { x: [] as number[][], y: [] as number[][] };
    for await (const b of loader) {
      shapes.push(b.x.shape);
      expect(b.y.dtype).to.equal('int32');
      r.x.push(Array.from(await b.x.data()));
      r.y.push(Array.from(await b.y.data()));
      tf.dispose([b.x, b.y]);
    }
    expect(shapes).to.deep.equal([[2, 4, 4, 1], [2, 4, 4, 1], [1, 4, 4, 1]]);
    expect(r.y).to.deep.equal([[0, 1], [2, 0], [1]]);
    expect(r.x[2]![0]).to.be.closeTo((0.04 - 0.5) / 0.25, 1e-6);
    expect(r.x[0]![16]).to.be.closeTo((0.01 - 0.5) / 0.25, 1e-6);
    expect(createLoader(ramp(5), { split: 'train', batchSize: 2, dropLast: true }).batchesPerEpoch).to.equal(2);
  });

  it('gathers event samples time-major into [T, N, H, W, 2]', async () => {
    const loader = createLoader(ramp(3, 'events'), { split: 'test', batchSize: 3 });
    for await (const b of loader) {
      expect(b.x.shape).to.deep.equal([2, 3, 4, 4, 2]);
      const v = (await b.x.array()) as number[][][][][];
      // sample n, frame t, pixel (i, j), channel c holds n/100 + ((t*4 + i)*4 + j)*2 + c
      expect(v[1]![2]![3]![1]![0]).to.be.closeTo(0.02 + ((1 * 4 + 3) * 4 + 1) * 2, 1e-4);
      tf.dispose([b.x, b.y]);
    }
  });

  it('shuffles each epoch differently, deterministically by seed, visiting every sample once', async () => {
    const a = createLoader(ramp(10), { split: 'train', batchSize: 4, shuffle: true, seed: 3 });
    const e0 = (await collect(a)).idx.flat();
    const e1 = (await collect(a)).idx.flat();
    expect([...e0].sort((p, q) => p - q)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e0).to.not.deep.equal(e1);
    const b = createLoader(ramp(10), { split: 'train', batchSize: 4, shuffle: true, seed: 3 });
    expect((await collect(b)).idx.flat()).to.deep.equal(e0);
    const c = createLoader(ramp(10), { split: 'train', batchSize: 4, shuffle: true, seed: 4 });
    expect((await collect(c)).idx.flat()).to.not.deep.equal(e0);
  });

  it('resumes exactly from a saved state, augmentation included', async () => {
    const opts = { split: 'train' as const, batchSize: 3, shuffle: true, seed: 11, augment: { flip: true, randomCrop: { padding: 1 }, cutout: { size: 2 } } };
    const ds: Dataset = { ...ramp(10), get: async (_s, i) => ({ x: Float32Array.from({ length: 16 }, (_, k) => i + k / 16), label: i % 3 }) };
    const full = createLoader(ds, opts);
    await collect(full);
    const epoch1 = await collect(full);

    const part = createLoader(ds, opts);
    await collect(part);
    const seen: Batch[] = [];
    for await (const b of part) {
      seen.push(b);
      if (seen.length === 2) break;
    }
    const saved = part.state();
    tf.dispose(seen.flatMap((b) => [b.x, b.y]));
    expect(saved).to.deep.equal({ epoch: 1, position: 2, seed: 11 });
    const resumed = createLoader(ds, opts);
    resumed.restore(JSON.parse(JSON.stringify(saved)));
    const rest = await collect(resumed);
    expect(rest.idx).to.deep.equal(epoch1.idx.slice(2));
    expect(rest.x).to.deep.equal(epoch1.x.slice(2));
    expect(resumed.state()).to.deep.equal({ epoch: 2, position: 0, seed: 11 });
    expect(() => resumed.restore({ epoch: 0, position: 0, seed: 12 })).to.throw(/option seed is invalid, got 12; expected 11/);
  });

  it('prefetches: while the consumer waits on batch 0, batches 1 and 2 are decoded (prefetch 2), in order', async () => {
    const asked: number[] = [];
    const base = ramp(20);
    const ds: Dataset = { ...base, get: async (s, i) => (asked.push(i), base.get(s, i)) };
    const loader = createLoader(ds, { split: 'train', batchSize: 2, prefetch: 2 });
    for await (const b of loader) {
      tf.dispose([b.x, b.y]);
      await new Promise((r) => setTimeout(r, 30)); // the training step
      expect(asked).to.deep.equal([0, 1, 2, 3, 4, 5]);
      break;
    }
  });

  it('does not decode batches queued but not started when the consumer stops', async () => {
    const asked: number[] = [];
    const base = ramp(20);
    const ds: Dataset = { ...base, get: async (s, i) => (asked.push(i), base.get(s, i)) };
    for await (const b of createLoader(ds, { split: 'train', batchSize: 2, prefetch: 2 })) {
      tf.dispose([b.x, b.y]);
      break; // batch 1 is being decoded, batch 2 only queued
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(asked).to.deep.equal([0, 1, 2, 3]);
  });

  it('refuses bad options and never yields a sample of the wrong size', async () => {
    expect(() => createLoader(ramp(3), { split: 'train', batchSize: 0 })).to.throw('createLoader: option batchSize is invalid, got 0; expected a positive integer.');
    expect(() => createLoader(ramp(3), { split: 'val' as 'train', batchSize: 1 })).to.throw(/option split is invalid, got "val"/);
    const bad: Dataset = { ...ramp(3), get: async (_s, i) => ({ x: new Float32Array(i === 1 ? 15 : 16), label: 0 }) };
    const yielded: number[] = [];
    let error: unknown;
    try {
      for await (const b of createLoader(bad, { split: 'train', batchSize: 1 })) {
        yielded.push(b.indices[0]!);
        tf.dispose([b.x, b.y]);
      }
    } catch (err) {
      error = err;
    }
    expect(yielded).to.deep.equal([0]);
    expect(String(error)).to.contain('ramp.get(train, 1): option sample is invalid');
  });

  it('keeps the tensor count flat over a full MNIST epoch at batch 256 with prefetch', async () => {
    const ds = await openMnist();
    const loader = createLoader(ds, { split: 'train', batchSize: 256, shuffle: true, seed: 1, augment: true, prefetch: 3 });
    const before = tf.memory().numTensors;
    let batches = 0;
    let maxLive = 0;
    let samples = 0;
    for await (const { x, y } of loader) {
      maxLive = Math.max(maxLive, tf.memory().numTensors - before);
      const m = tf.tidy(() => tf.mean(x)); // a stand-in training step
      await m.data();
      samples += y.shape[0]!;
      tf.dispose([x, y, m]);
      batches++;
    }
    expect([batches, samples]).to.deep.equal([235, 60000]);
    expect(maxLive).to.equal(2);
    expect(tf.memory().numTensors).to.equal(before);
  });
});

describe('createLoader with decode workers', () => {
  before(async () => void (await initBackend('cpu', { log: () => {} })));

  it('yields exactly the batches of main-thread decoding, augmentation included', async () => {
    const ds = await datasetEntries.mnist!.open({});
    expect(ds.source).to.deep.equal({ entry: 'mnist', options: {} });
    const sub = { ...ds, size: (s: 'train' | 'test') => (s === 'train' ? 600 : ds.size(s)) };
    const opts = { split: 'train' as const, batchSize: 100, shuffle: true, seed: 4, augment: { randomCrop: { padding: 2 }, cutout: { size: 8 } } };
    const main = await collect(createLoader(sub, opts));
    const loader = createLoader(sub, { ...opts, workers: 1 });
    const viaWorkers = await collect(loader);
    await loader.close?.();
    expect(viaWorkers.idx).to.deep.equal(main.idx);
    expect(viaWorkers.y).to.deep.equal(main.y);
    expect(viaWorkers.x).to.deep.equal(main.x);
  });

  it('rebuilds a worker-side dataset error and refuses workers for a dataset without source', async () => {
    expect(() => createLoader(ramp(3), { split: 'train', batchSize: 1, workers: 1 })).to.throw(/option workers is invalid, got 1; expected 0 for ramp/);
    const ds = { ...ramp(3), source: { entry: 'fashion-mnist', options: { root: '/nonexistent-dir' } } };
    const loader = createLoader(ds, { split: 'train', batchSize: 1, workers: 1 });
    let error: unknown;
    try {
      for await (const b of loader) tf.dispose([b.x, b.y]);
    } catch (err) {
      error = err;
    }
    await loader.close?.();
    expect(error).to.be.instanceOf(DatasetFormatError);
    expect((error as Error).message).to.contain('fashion-mnist: no data found in /nonexistent-dir');
  });
});

describe('createLoader shard (data-parallel ranks)', () => {
  before(async () => void (await initBackend('cpu', { log: () => {} })));

  it('shardRange: contiguous, disjoint, covering, sizes within one (10 over 4: 2, 3, 2, 3)', async () => {
    const { shardRange } = await import('@deepspike/datasets');
    expect([0, 1, 2, 3].map((r) => shardRange(10, r, 4))).to.deep.equal([{ start: 0, end: 2 }, { start: 2, end: 5 }, { start: 5, end: 7 }, { start: 7, end: 10 }]);
    expect(() => shardRange(3, 0, 4)).to.throw('a batch of 3 sample(s) shared by 4 ranks, got fewer samples than ranks; expected at least 4.');
    expect(() => shardRange(8, 2, 2)).to.throw('option shard is invalid, got "rank 2 of 2"');
  });

  it('the shards of 3 ranks, put together, are the unsharded batches (order, augmentation, short last batch)', async () => {
    const opts = { split: 'train' as const, batchSize: 5, shuffle: true, seed: 7, augment: { flip: true, randomCrop: { padding: 1 }, cutout: { size: 2 } } };
    const whole = await collect(createLoader(ramp(23), opts));
    const parts = await Promise.all([0, 1, 2].map((rank) => collect(createLoader(ramp(23), { ...opts, shard: { rank, size: 3 } }))));
    expect(whole.idx).to.have.length(5);
    for (let b = 0; b < whole.idx.length; b++) {
      expect(parts.flatMap((p) => p.idx[b]!)).to.deep.equal(whole.idx[b]);
      expect(parts.flatMap((p) => p.y[b]!)).to.deep.equal(whole.y[b]);
      expect(parts.flatMap((p) => p.x[b]!)).to.deep.equal(whole.x[b]);
    }
    // The last batch holds 3 samples: one per rank.
    expect(parts.map((p) => p.idx[4]!.length)).to.deep.equal([1, 1, 1]);
  });

  it('refuses more ranks than samples per batch', () => {
    expect(() => createLoader(ramp(8), { split: 'train', batchSize: 2, shard: { rank: 0, size: 3 } })).to.throw('a batch of 2 sample(s) shared by 3 ranks');
  });
});
