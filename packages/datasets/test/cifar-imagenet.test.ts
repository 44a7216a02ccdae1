import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import {
  centerCropBox, createLoader, DatasetFormatError, messages, openCifar10, openCifar100, openImageNet, randomResizedCropBox, Rng,
} from '@deepspike/datasets';
import { tempDir } from './helpers.js';

/** A CIFAR record per Krizhevsky's description: label byte(s) then planar R, G, B planes of 32x32. */
function cifarRecord(labels: number[], seed: number): Buffer {
  const px = Buffer.alloc(3072);
  for (let k = 0; k < 3072; k++) px[k] = (seed * 7 + k * 3) & 255;
  return Buffer.concat([Buffer.from(labels), px]);
}

async function rejects(p: Promise<unknown>): Promise<DatasetFormatError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(DatasetFormatError);
    return err as DatasetFormatError;
  }
  throw new Error('expected a rejection');
}

describe('CIFAR binary', () => {
  let t: ReturnType<typeof tempDir>;
  let bin: string;
  beforeEach(() => {
    t = tempDir();
    bin = join(t.dir, 'cifar-10-batches-bin');
    mkdirSync(bin);
    for (let b = 1; b <= 5; b++) writeFileSync(join(bin, `data_batch_${b}.bin`), Buffer.concat([cifarRecord([b], b), cifarRecord([9], 100 + b)]));
    writeFileSync(join(bin, 'test_batch.bin'), cifarRecord([3], 50));
  });
  afterEach(() => t.cleanup());

  it('reads planar RGB into HWC from the parent folder, in file order', async () => {
    const ds = await openCifar10({ root: t.dir });
    expect([ds.size('train'), ds.size('test')]).to.deep.equal([10, 1]);
    expect(ds.classNames[3]).to.equal('cat');
    const s = await ds.get('train', 2); // data_batch_2, first record
    expect(s.label).to.equal(2);
    // pixel (row 1, col 2): plane index 34; channel c reads byte c*1024 + 34
    for (let c = 0; c < 3; c++) expect(s.x[(1 * 32 + 2) * 3 + c]).to.equal(Math.fround(((2 * 7 + (c * 1024 + 34) * 3) & 255) / 255));
    expect((await ds.get('train', 9)).label).to.equal(9);
  });

  it('reads CIFAR-100 fine or coarse labels', async () => {
    const dir = join(t.dir, 'cifar-100-binary');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train.bin'), Buffer.concat([cifarRecord([4, 77], 1), cifarRecord([19, 99], 2)]));
    writeFileSync(join(dir, 'test.bin'), cifarRecord([0, 5], 3));
    const fine = await openCifar100({ root: dir });
    expect([fine.classes, (await fine.get('train', 0)).label, (await fine.get('train', 1)).label]).to.deep.equal([100, 77, 99]);
    const coarse = await openCifar100({ root: t.dir, labels: 'coarse' });
    expect([coarse.classes, (await coarse.get('train', 1)).label]).to.deep.equal([20, 19]);
  });

  it('names the offset of a partial record and of an out-of-range label', async () => {
    const f = join(bin, 'data_batch_3.bin');
    writeFileSync(f, Buffer.concat([cifarRecord([1], 1), Buffer.alloc(100)]));
    let err = await rejects(openCifar10({ root: t.dir }));
    expect(err.message).to.equal(messages.truncated(f, 3073, 'record 1', 100, 3073));
    writeFileSync(f, Buffer.concat([cifarRecord([1], 1), cifarRecord([10], 1)]));
    err = await rejects(openCifar10({ root: t.dir }));
    expect(err.message).to.equal(messages.labelRange(f, 3073, 1, 10, 10));
    const empty = tempDir();
    expect((await rejects(openCifar10({ root: empty.dir }))).message).to.contain(`cifar10: no data found in ${empty.dir}`);
    empty.cleanup();
  });

  it('augments (crop with padding 4, flip) and normalises in the loader, seeded', async () => {
    await initBackend('cpu', { log: () => {} });
    const ds = await openCifar10({ root: t.dir });
    const a = createLoader(ds, { split: 'train', batchSize: 10, augment: true, seed: 5 });
    const b = createLoader(ds, { split: 'train', batchSize: 10, augment: true, seed: 5 });
    const plain = createLoader(ds, { split: 'train', batchSize: 10, normalize: false });
    const [xa, xb, xp] = await Promise.all([a, b, plain].map(async (l) => {
      for await (const batch of l) { const v = await batch.x.data(); tf.dispose([batch.x, batch.y]); return v; }
      throw new Error('no batch');
    }));
    expect(Array.from(xa!)).to.deep.equal(Array.from(xb!));
    expect(Array.from(xa!)).to.not.deep.equal(Array.from(xp!));
    const s0 = await ds.get('train', 0);
    expect(xp![5]).to.equal(s0.x[5]);
  });
});

describe('ImageNet ImageFolder', () => {
  let t: ReturnType<typeof tempDir>;
  before(async () => {
    t = tempDir();
    for (const [split, cls, n] of [['train', 'n01', 2], ['train', 'n02', 1], ['val', 'n01', 1], ['val', 'n02', 1]] as const) {
      mkdirSync(join(t.dir, split, cls), { recursive: true });
      for (let i = 0; i < n; i++) {
        // left half red, right half blue, 64x48
        const raw = Buffer.alloc(64 * 48 * 3);
        for (let p = 0; p < 64 * 48; p++) raw[p * 3 + ((p % 64) < 32 ? 0 : 2)] = 255;
        await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality: 95 }).toFile(join(t.dir, split, cls, `img${i}.JPEG`));
      }
    }
    writeFileSync(join(t.dir, 'train', 'n02', 'broken.JPEG'), Buffer.from('not a jpeg'));
  });
  after(() => t.cleanup());

  it('lists classes from train/, decodes val with a centre crop, and names an undecodable file', async () => {
    const ds = await openImageNet({ root: t.dir, size: 16, resize: 16 });
    expect(ds.classNames).to.deep.equal(['n01', 'n02']);
    expect([ds.size('train'), ds.size('test')]).to.deep.equal([4, 2]);
    const s = await ds.get('test', 1);
    expect(s.label).to.equal(1);
    // centre 48x48 of the 64x48 image spans x 8..56: left columns red, right columns blue
    expect(s.x[0]).to.be.greaterThan(0.9);
    expect(s.x[2]).to.be.lessThan(0.1);
    expect(s.x[15 * 3 + 2]).to.be.greaterThan(0.9);
    const broken = join(t.dir, 'train', 'n02', 'broken.JPEG');
    try {
      await ds.get('train', 2);
      expect.fail('expected a decode error');
    } catch (err) {
      expect((err as Error).message).to.match(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot decode the image`));
    }
  });

  it('computes torchvision crop boxes', () => {
    expect(centerCropBox(64, 48, 224 / 256)).to.deep.equal({ left: 11, top: 3, width: 42, height: 42 });
    for (let i = 0; i < 100; i++) {
      const b = randomResizedCropBox(64, 48, new Rng(i));
      expect(b.left + b.width).to.be.at.most(64);
      expect(b.top + b.height).to.be.at.most(48);
      expect(b.width * b.height).to.be.at.least(0.08 * 64 * 48 * 0.9);
      const r = b.width / b.height;
      expect(r).to.be.within(0.7, 1.4);
    }
    // impossible scale range: falls back to the whole image clamped to the ratio range, centred
    expect(randomResizedCropBox(100, 10, new Rng(0), [2, 3])).to.deep.equal({ left: 43, top: 0, width: 13, height: 10 });
  });

  it('rejects an empty train folder and a val class unknown to train', async () => {
    const e = tempDir();
    mkdirSync(join(e.dir, 'train'));
    expect((await rejects(openImageNet({ root: e.dir }))).message).to.equal(messages.emptyDirectory(join(e.dir, 'train'), 'class folders'));
    mkdirSync(join(e.dir, 'train', 'n01'));
    mkdirSync(join(e.dir, 'val', 'n09'), { recursive: true });
    expect((await rejects(openImageNet({ root: e.dir }))).message).to.equal(messages.emptyDirectory(join(e.dir, 'train'), 'images in class folders'));
    e.cleanup();
  });

  it('streams augmented batches (RandomResizedCrop + flip) reproducibly', async () => {
    await initBackend('cpu', { log: () => {} });
    const ds = await openImageNet({ root: t.dir, size: 16 });
    const good = { ...ds, size: (s: 'train' | 'test') => (s === 'train' ? 2 : ds.size(s)) }; // skip broken.JPEG
    const run = async () => {
      for await (const b of createLoader(good, { split: 'train', batchSize: 2, augment: true, seed: 9 })) {
        expect(b.x.shape).to.deep.equal([2, 16, 16, 3]);
        const v = Array.from(await b.x.data());
        tf.dispose([b.x, b.y]);
        return v;
      }
      return [];
    };
    expect(await run()).to.deep.equal(await run());
  });
});
