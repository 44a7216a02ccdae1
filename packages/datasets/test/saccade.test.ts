import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, installPlugin, InvalidArgumentError, Registry } from '@deepspike/core';
import {
  createLoader,
  deepspikePlugin,
  messages,
  openMnistSaccade,
  resolveSaccadeOptions,
  saccadeDisplacement,
  saccadeEvents,
  saccadeFrames,
  SACCADE_TRIANGLE,
} from '@deepspike/datasets';

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

  it('bins sub-steps into frames: one saccade per frame for 3 frames and one sub-step per saccade', () => {
    const img = blank();
    img[5 * 28 + 7] = 1;
    const f = saccadeFrames(img, { stepsPerSaccade: 1, frames: 3 });
    const plane = 34 * 34 * 2;
    const at = (t: number, [dx, dy]: readonly [number, number], p: number): number => f[t * plane + ((5 + 3 + dy) * 34 + 7 + 3 + dx) * 2 + p]!;
    const [v0, v1, v2] = SACCADE_TRIANGLE as [readonly [number, number], readonly [number, number], readonly [number, number]];
    const frameSum = (t: number, p: number): number => f.subarray(t * plane, (t + 1) * plane).reduce((a, v, i) => a + (i % 2 === p ? v : 0), 0);
    // Saccade 1 (V0 -> V1) lands in frame 0: 15 ON where the pixel arrives, 15 OFF where it left, nothing else.
    expect([at(0, v1, 1), at(0, v0, 0), frameSum(0, 1), frameSum(0, 0)]).to.deep.equal([15, 15, 15, 15]);
    // Saccade 2 (V1 -> V2) in frame 1: ON at V2 (a pixel that never fired), OFF only at V1.
    expect(at(1, v2, 1)).to.equal(15);
    expect(frameSum(1, 1)).to.equal(15);
    expect(frameSum(1, 0)).to.equal(at(1, v1, 0)).and.to.be.within(14, 15);
    // Saccade 3 (V2 -> V0) in frame 2.
    expect(at(2, v0, 1)).to.be.within(14, 15);
    expect(frameSum(2, 0)).to.equal(at(2, v2, 0));
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
    expect(() => resolveSaccadeOptions({ threshold: 0 })).to.throw(InvalidArgumentError, messages.badSaccadeOption('threshold', 0, 'a number > 0'));
    expect(() => resolveSaccadeOptions({ sensor: 20 })).to.throw(InvalidArgumentError, messages.badSaccadeOption('sensor', 20, 'an integer >= 28'));
    expect(() => saccadeEvents(new Float32Array(10))).to.throw(InvalidArgumentError, messages.badSaccadeImage(10, 28));
  });
});

describe('dataset mnist-saccade', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('is registered by the datasets plugin (kind dataset) with its input shape and classes, and gives [T, 34, 34, 2] frames of MNIST digits with their labels', async () => {
    const registry = new Registry();
    installPlugin(deepspikePlugin, registry);
    expect(registry.has('dataset', 'mnist-saccade')).to.equal(true);
    const entry = registry.get('dataset', 'mnist-saccade') as unknown as { inputShape(o: object): number[]; classes: number };
    expect(entry.inputShape({ frames: 4 })).to.deep.equal([4, 34, 34, 2]);
    expect(entry.inputShape({})).to.deep.equal([6, 34, 34, 2]);
    expect(entry.classes).to.equal(10);
    const opened = await registry.get('dataset', 'mnist-saccade').open({ frames: 4, limit: 8 });
    expect(opened.source).to.deep.equal({ entry: 'mnist-saccade', options: { frames: 4, limit: 8 } });
    const ds = await openMnistSaccade({ frames: 4, limit: 8 });
    expect(ds.kind).to.equal('events');
    expect(ds.inputShape).to.deep.equal([4, 34, 34, 2]);
    expect(ds.size('train')).to.equal(8);
    const s = await ds.get('train', 0);
    expect(s.label).to.equal(5); // MNIST's first training digit
    expect(s.x.length).to.equal(4 * 34 * 34 * 2);
    expect(s.x.some((v) => v > 0)).to.equal(true);
    // The sample is the generator applied to the MNIST image (deterministic: twice the same).
    expect(Array.from((await opened.get('train', 0)).x)).to.deep.equal(Array.from(s.x));
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

  it('is deterministic under a seed: two shuffled loaders, and one generating in a decode worker, give the same batches', async () => {
    const registry = new Registry();
    installPlugin(deepspikePlugin, registry);
    const ds = await registry.get('dataset', 'mnist-saccade').open({ limit: 24 });
    const opts = { split: 'train' as const, batchSize: 8, shuffle: true, seed: 7 };
    const collect = async (workers: number): Promise<{ x: number[]; y: number[]; idx: number[] }> => {
      const l = createLoader(ds, { ...opts, workers });
      const r = { x: [] as number[], y: [] as number[], idx: [] as number[] };
      for await (const b of l) {
        r.x.push(...b.x.dataSync());
        r.y.push(...b.y.dataSync());
        r.idx.push(...b.indices);
        tf.dispose([b.x, b.y]);
      }
      await l.close?.();
      return r;
    };
    const a = await collect(0);
    const b = await collect(0);
    const w = await collect(1);
    expect(a.idx).to.not.deep.equal([...Array(24).keys()]); // shuffled
    expect(b).to.deep.equal(a);
    expect(w.idx).to.deep.equal(a.idx);
    expect(w.y).to.deep.equal(a.y);
    expect(w.x).to.deep.equal(a.x);
  });

  it('refuses bad dataset options with house-format messages', async () => {
    let err: unknown;
    try {
      await openMnistSaccade({ limit: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InvalidArgumentError);
    expect((err as Error).message).to.equal(messages.badOption('mnist-saccade.open', 'limit', 0, 'a positive integer (leave it out to use every sample)'));
  });
});
