import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, InvalidArgumentError, registry } from '@deepspike/core';
import { createLoader } from '@deepspike/datasets';
import {
  installPaperPlugins,
  openMnistSaccade,
  paperMessages,
  resolveSaccadeOptions,
  saccadeDisplacement,
  saccadeEvents,
  saccadeFrames,
  SACCADE_TRIANGLE,
} from '@deepspike/bench';

const blank = (size = 28): Float32Array => new Float32Array(size * size);
function square(size = 28, from = 10, to = 18, value = 1): Float32Array {
  const img = blank(size);
  for (let r = from; r < to; r++) for (let c = from; c < to; c++) img[r * size + c] = value;
  return img;
}

describe('saccade generator (N-MNIST-style events from a static image)', () => {
  it('a blank image gives no events; a uniform grey one only where its border moves', () => {
    expect(saccadeEvents(blank()).t.length).to.equal(0);
    const grey = saccadeEvents(new Float32Array(784).fill(0.6));
    expect(grey.t.length).to.be.greaterThan(0);
    // Pixels whose whole neighbourhood stays inside the image (sensor 8..25) never change.
    for (let i = 0; i < grey.t.length; i++) expect(grey.x[i]! < 8 || grey.x[i]! > 25 || grey.y[i]! < 8 || grey.y[i]! > 25, `${grey.x[i]},${grey.y[i]}`).to.equal(true);
    expect(saccadeFrames(blank()).every((v) => v === 0)).to.equal(true);
  });

  it('a bright square gives events of both polarities, in every frame, inside the 34x34 sensor', () => {
    const ev = saccadeEvents(square());
    const on = ev.p.reduce((a, p) => a + p, 0);
    const off = ev.p.length - on;
    expect(on).to.be.greaterThan(0);
    expect(off).to.be.greaterThan(0);
    expect(Math.max(...ev.x)).to.be.lessThan(34);
    expect(Math.max(...ev.y)).to.be.lessThan(34);
    const frames = saccadeFrames(square());
    const plane = 34 * 34 * 2;
    for (let t = 0; t < 6; t++) expect(frames.subarray(t * plane, (t + 1) * plane).reduce((a, v) => a + v, 0), `frame ${t}`).to.be.greaterThan(0);
    // Frames count exactly the events, per polarity.
    const sumPol = (p: number): number => frames.reduce((a, v, i) => a + (i % 2 === p ? v : 0), 0);
    expect(sumPol(1)).to.equal(on);
    expect(sumPol(0)).to.equal(off);
  });

  it('a single bright pixel jumping one triangle side emits floor(ln(1.05/0.05)/0.2) = 15 ON events where it lands and 15 OFF where it was', () => {
    const img = blank();
    img[5 * 28 + 7] = 1; // row 5, column 7
    const ev = saccadeEvents(img, { stepsPerSaccade: 1 });
    const first = [...ev.t.keys()].filter((i) => ev.t[i] === 10_000);
    const at = (x: number, y: number, p: number): number => first.filter((i) => ev.x[i] === x && ev.y[i] === y && ev.p[i] === p).length;
    const [v0, v1] = [SACCADE_TRIANGLE[0]!, SACCADE_TRIANGLE[1]!];
    const k = Math.floor(Math.log(1.05 / 0.05) / 0.2);
    expect(k).to.equal(15);
    expect(at(7 + 3 + v1[0], 5 + 3 + v1[1], 1)).to.equal(k);
    expect(at(7 + 3 + v0[0], 5 + 3 + v0[1], 0)).to.equal(k);
    expect(first.length).to.equal(2 * k);
  });

  it('follows the triangle V0 -> V1 -> V2 -> V0 (three saccades)', () => {
    expect(saccadeDisplacement(0, 10)).to.deep.equal([...SACCADE_TRIANGLE[0]!]);
    expect(saccadeDisplacement(10, 10)).to.deep.equal([...SACCADE_TRIANGLE[1]!]);
    expect(saccadeDisplacement(20, 10)).to.deep.equal([...SACCADE_TRIANGLE[2]!]);
    expect(saccadeDisplacement(30, 10)).to.deep.equal([...SACCADE_TRIANGLE[0]!]);
    const [x, y] = saccadeDisplacement(5, 10);
    expect(x).to.be.closeTo((SACCADE_TRIANGLE[0]![0] + SACCADE_TRIANGLE[1]![0]) / 2, 1e-12);
    expect(y).to.be.closeTo((SACCADE_TRIANGLE[0]![1] + SACCADE_TRIANGLE[1]![1]) / 2, 1e-12);
  });

  it('refuses bad options and images with house-format messages', () => {
    expect(() => resolveSaccadeOptions({ threshold: 0 })).to.throw(InvalidArgumentError, paperMessages.badSaccadeOption('threshold', 0, 'a number > 0'));
    expect(() => resolveSaccadeOptions({ sensor: 20 })).to.throw(InvalidArgumentError, paperMessages.badSaccadeOption('sensor', 20, 'an integer >= 28'));
    expect(() => saccadeEvents(new Float32Array(10))).to.throw(InvalidArgumentError, paperMessages.badSaccadeImage(10, 28));
  });
});

describe('dataset mnist-saccade', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    installPaperPlugins();
  });

  it('is registered (kind dataset) and gives [T, 34, 34, 2] event frames of MNIST digits with their labels', async () => {
    expect(registry.has('dataset', 'mnist-saccade')).to.equal(true);
    const entry = registry.get('dataset', 'mnist-saccade') as unknown as { inputShape(o: object): number[] };
    expect(entry.inputShape({ frames: 4 })).to.deep.equal([4, 34, 34, 2]);
    const ds = await openMnistSaccade({ frames: 4, limit: 8 });
    expect(ds.kind).to.equal('events');
    expect(ds.inputShape).to.deep.equal([4, 34, 34, 2]);
    expect(ds.size('train')).to.equal(8);
    const s = await ds.get('train', 0);
    expect(s.label).to.equal(5); // MNIST's first training digit
    expect(s.x.length).to.equal(4 * 34 * 34 * 2);
    expect(s.x.some((v) => v > 0)).to.equal(true);
    const loader = createLoader(ds, { split: 'test', batchSize: 4 });
    const before = tf.memory().numTensors;
    for await (const b of loader) {
      expect(b.x.shape).to.deep.equal([4, 4, 34, 34, 2]);
      // Time-major batch: sample k of frame t is the dataset sample's frame t.
      const k1 = (await ds.get('test', b.indices[1]!)).x;
      const got = tf.tidy(() => tf.slice(b.x, [2, 1, 0, 0, 0], [1, 1, 34, 34, 2]).dataSync());
      expect(Array.from(got)).to.deep.equal(Array.from(k1.subarray(2 * 34 * 34 * 2, 3 * 34 * 34 * 2)));
      tf.dispose([b.x, b.y]);
      break;
    }
    expect(tf.memory().numTensors).to.equal(before);
  });
});
