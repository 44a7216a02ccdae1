import { expect } from 'chai';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import {
  createLoader, decodeAtis, encodeAedat2, encodeAedat3, encodeAtis, eventsToFrames, messages, openCifar10Dvs, openDvsGesture, openNCaltech101, openNmnist,
  DatasetFormatError, FRAME_CACHE_VERSION, type EventColumns,
} from '@deepspike/datasets';
import { tempDir } from './helpers.js';

/** `n` events of a seeded pattern on a `side`-pixel sensor, sorted by time from `t0`. */
function pattern(n: number, side: number, seed: number, t0 = 0, step = 100): EventColumns {
  return {
    t: Float64Array.from({ length: n }, (_, i) => t0 + i * step),
    x: Uint16Array.from({ length: n }, (_, i) => (i * 7 + seed) % side),
    y: Uint16Array.from({ length: n }, (_, i) => (i * 3 + seed * 5) % side),
    p: Uint8Array.from({ length: n }, (_, i) => (i + seed) % 2),
  };
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

describe('event datasets', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  function writeNmnist(): void {
    for (const [split, per] of [['Train', 3], ['Test', 1]] as const) {
      for (const digit of ['0', '1']) {
        mkdirSync(join(t.dir, split, digit), { recursive: true });
        for (let i = 0; i < per; i++) writeFileSync(join(t.dir, split, digit, `0000${i}.bin`), encodeAtis(pattern(50 + i, 34, Number(digit) * 10 + i)));
      }
    }
  }

  it('N-MNIST: integrates each file into cached [T, H, W, 2] frames equal to eventsToFrames of its events', async () => {
    writeNmnist();
    const cacheDir = join(t.dir, 'cache');
    const ds = await openNmnist({ root: t.dir, frames: 4, splitBy: 'time', cacheDir, progress: false });
    expect([ds.size('train'), ds.size('test'), ds.classes, ds.kind]).to.deep.equal([6, 2, 10, 'events']);
    expect(ds.inputShape).to.deep.equal([4, 34, 34, 2]);
    const s = await ds.get('train', 4); // Train/1/00001.bin
    expect(s.label).to.equal(1);
    const expected = eventsToFrames(pattern(51, 34, 11), { frames: 4, splitBy: 'time', sensor: [34, 34] });
    expect(Array.from(s.x)).to.deep.equal(Array.from(expected.data));
    await ds.close?.();

    const [folder] = readdirSync(cacheDir);
    const mtime = statSync(join(cacheDir, folder!, 'train.frames')).mtimeMs;
    const again = await openNmnist({ root: t.dir, frames: 4, splitBy: 'time', cacheDir, progress: false, normalize: 'max' });
    expect(statSync(join(cacheDir, folder!, 'train.frames')).mtimeMs).to.equal(mtime); // reused: normalisation is not in the key
    const n = await again.get('train', 4);
    const max = Math.max(...expected.data.subarray(0, 34 * 34 * 2));
    expect(n.x[expected.data.indexOf(max)]).to.equal(1);
    await again.close?.();
    await openNmnist({ root: t.dir, frames: 2, cacheDir, progress: false, size: [17, 17] });
    expect(readdirSync(cacheDir)).to.have.length(2); // other options, other cache folder
  });

  it('rebuilds a truncated or other-version cache file, and keys the cache by the source files', async () => {
    writeNmnist();
    const cacheDir = join(t.dir, 'cache');
    const open = () => openNmnist({ root: t.dir, frames: 2, cacheDir, progress: false });
    const first = await open();
    const reference = Array.from((await first.get('test', 1)).x);
    await first.close?.();
    const folder = join(cacheDir, readdirSync(cacheDir)[0]!);
    const file = join(folder, 'test.frames');
    const size = statSync(file).size;
    writeFileSync(file, readFileSync(file).subarray(0, size - 10));
    const rebuilt = await open();
    expect(statSync(file).size).to.equal(size);
    expect(Array.from((await rebuilt.get('test', 1)).x)).to.deep.equal(reference);
    await rebuilt.close?.();
    const bytes = readFileSync(file);
    bytes.writeUInt32LE(999, 8); // another FRAME_CACHE_VERSION
    writeFileSync(file, bytes);
    await (await open()).close?.();
    expect(readFileSync(file).readUInt32LE(8)).to.equal(FRAME_CACHE_VERSION);
    writeFileSync(join(t.dir, 'Test', '1', '00000.bin'), encodeAtis(pattern(9, 34, 2)));
    await (await open()).close?.();
    expect(readdirSync(cacheDir)).to.have.length(2);
  });

  it('N-MNIST: names an empty folder, a corrupt file, and draws a progress bar on stderr when building', async () => {
    mkdirSync(join(t.dir, 'Train'));
    expect((await rejects(openNmnist({ root: t.dir, progress: false }))).message).to.equal(messages.emptyDirectory(join(t.dir, 'Train'), '<digit>/*.bin files'));
    writeNmnist();
    const bad = join(t.dir, 'Test', '1', '00000.bin');
    writeFileSync(bad, Buffer.from([1, 2, 3, 4, 5, 6, 7]));
    const err = await rejects(openNmnist({ root: t.dir, cacheDir: join(t.dir, 'c'), progress: false }));
    expect([err.file, err.offset]).to.deep.equal([bad, 5]);
    expect(readdirSync(join(t.dir, 'c', readdirSync(join(t.dir, 'c'))[0]!)).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    writeFileSync(bad, encodeAtis(pattern(5, 34, 1)));
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (written.push(String(s)), true)) as typeof process.stderr.write;
    try {
      await openNmnist({ root: t.dir, cacheDir: join(t.dir, 'c2') });
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).to.match(/nmnist train frames .*6\/6 samples/);
  });

  it('DVS128 Gesture: cuts recordings by their _labels.csv windows, with the train/test trial lists', async () => {
    const dir = join(t.dir, 'DvsGesture');
    mkdirSync(dir);
    const rec = pattern(300, 128, 3, 1000, 100); // t = 1000 .. 30900
    writeFileSync(join(dir, 'user01_led.aedat'), encodeAedat3(rec, 64));
    writeFileSync(join(dir, 'user01_led_labels.csv'), 'class,startTime_usec,endTime_usec\n3,2000,5000\n11,10000,10500\n');
    writeFileSync(join(dir, 'user24_lab.aedat'), encodeAedat3(pattern(40, 128, 4), 64));
    writeFileSync(join(dir, 'user24_lab_labels.csv'), 'class,startTime_usec,endTime_usec\n1,0,4000\n');
    writeFileSync(join(dir, 'trials_to_train.txt'), 'user01_led.aedat\n');
    writeFileSync(join(dir, 'trials_to_test.txt'), 'user24_lab.aedat\n\n');
    const ds = await openDvsGesture({ root: t.dir, frames: 2, size: [32, 32], cacheDir: join(t.dir, 'c'), progress: false });
    expect([ds.size('train'), ds.size('test'), ds.classes]).to.deep.equal([2, 1, 11]);
    const a = await ds.get('train', 0);
    const b = await ds.get('train', 1);
    expect([a.label, b.label]).to.deep.equal([2, 10]);
    // window [2000, 5000) holds the events i = 10..39: 30 events; [10000, 10500) holds i = 90..94
    expect(a.x.reduce((s, v) => s + v, 0)).to.equal(30);
    expect(b.x.reduce((s, v) => s + v, 0)).to.equal(5);
    writeFileSync(join(dir, 'user24_lab_labels.csv'), 'class,startTime_usec,endTime_usec\n0,0,4000\n');
    const err = await rejects(openDvsGesture({ root: dir, cacheDir: join(t.dir, 'c'), progress: false }));
    expect(err.message).to.equal(messages.labelsCsv(join(dir, 'user24_lab_labels.csv'), 2, '0,0,4000', 'a class in 1..11'));
  });

  it('N-Caltech101: classes from folders, 90/10 split per class, 240x180 ATIS sensor', async () => {
    const root = join(t.dir, 'Caltech101');
    for (const [cls, n] of [['accordion', 10], ['airplanes', 20]] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      for (let i = 1; i <= n; i++) writeFileSync(join(root, cls, `image_${String(i).padStart(4, '0')}.bin`), encodeAtis(pattern(10 + i, 180, i)));
    }
    const ds = await openNCaltech101({ root: t.dir, frames: 1, cacheDir: join(t.dir, 'c'), progress: false });
    expect([ds.classNames, ds.size('train'), ds.size('test'), ds.inputShape]).to.deep.equal([['accordion', 'airplanes'], 27, 3, [1, 180, 240, 2]]);
    const last = await ds.get('test', 2); // airplanes image_0020
    expect([last.label, last.x.reduce((a, v) => a + v, 0)]).to.deep.equal([1, 30]);
  });

  it('says how many events fell outside the sensor when building the cache', async () => {
    mkdirSync(join(t.dir, 'Caltech101', 'ant'), { recursive: true });
    const ev = { t: Float64Array.from([0, 1, 2]), x: Uint16Array.from([5, 250, 239]), y: Uint16Array.from([5, 5, 179]), p: Uint8Array.from([1, 1, 0]) };
    writeFileSync(join(t.dir, 'Caltech101', 'ant', 'image_0001.bin'), encodeAtis(ev));
    writeFileSync(join(t.dir, 'Caltech101', 'ant', 'image_0002.bin'), encodeAtis(ev)); // both train (round(2 * 0.9) = 2)
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (written.push(String(s)), true)) as typeof process.stderr.write;
    try {
      const ds = await openNCaltech101({ root: t.dir, frames: 1, cacheDir: join(t.dir, 'c'), progress: false });
      expect((await ds.get('train', 0)).x.reduce((a, v) => a + v, 0)).to.equal(2);
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).to.contain(messages.eventsDropped('ncaltech101 train', 2, [180, 240]));
  });

  it('CIFAR10-DVS: the documented split is the first 90% of each class by file number', async () => {
    for (const cls of ['airplane', 'cat']) {
      mkdirSync(join(t.dir, cls));
      for (let i = 0; i <= 10; i++) writeFileSync(join(t.dir, cls, `cifar10_${cls}_${i}.aedat`), encodeAedat2(pattern(20 + i, 128, i)));
    }
    const ds = await openCifar10Dvs({ root: t.dir, frames: 2, size: [16, 16], cacheDir: join(t.dir, 'c'), progress: false });
    expect([ds.size('train'), ds.size('test')]).to.deep.equal([20, 2]);
    const test = await ds.get('test', 1);
    expect(test.label).to.equal(3); // cat
    expect(test.x.reduce((s, v) => s + v, 0)).to.equal(30); // file _10 (30 events), not _9 as lexicographic order would give
    const train0 = await ds.get('train', 1);
    expect(train0.x.reduce((s, v) => s + v, 0)).to.equal(21); // airplane _1
  });

  it('batches event frames time-major with flip/roll augmentation, flat in tensors', async () => {
    await initBackend('cpu', { log: () => {} });
    writeNmnist();
    const ds = await openNmnist({ root: t.dir, frames: 3, cacheDir: join(t.dir, 'c'), progress: false });
    const before = tf.memory().numTensors;
    const loader = createLoader(ds, { split: 'train', batchSize: 4, shuffle: true, seed: 2, augment: { flip: true, roll: { max: 2 } } });
    let total = 0;
    for await (const b of loader) {
      expect(b.x.shape.slice(0, 2)).to.deep.equal([3, b.indices.length]);
      expect(b.x.shape.slice(2)).to.deep.equal([34, 34, 2]);
      const sumT = tf.sum(b.x);
      const sum = (await sumT.data())[0]!;
      sumT.dispose();
      let expected = 0;
      for (const i of b.indices) expected += (await ds.get('train', i)).x.reduce((s, v) => s + v, 0);
      expect(sum).to.equal(expected); // flips and rolls move events, never lose them
      total += b.indices.length;
      tf.dispose([b.x, b.y]);
    }
    expect(total).to.equal(6);
    expect(tf.memory().numTensors).to.equal(before + 0);
    expect(decodeAtis('x', encodeAtis(pattern(3, 34, 0))).t.length).to.equal(3);
  });
});
