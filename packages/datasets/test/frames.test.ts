import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventsToFrames, frameCounts, normalizeFramesByMax, parseGestureLabels, DatasetFormatError, messages, cutout, flipHorizontal, randomCrop, randomRoll, shift, Rng } from '@deepspike/datasets';
import { tempDir } from './helpers.js';

/** 10 events at t = 0, 10, ..., 90 with x = i % 4, p = i % 2. */
const ev = {
  t: Float64Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]),
  x: Uint16Array.from([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]),
  y: Uint16Array.from([0, 0, 0, 0, 1, 1, 2, 2, 3, 3]),
  p: Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
};

describe('events to frames', () => {
  it('splits by number: floor(N/T) events per frame, the last frame takes the rest', () => {
    const f = eventsToFrames(ev, { frames: 3, splitBy: 'number', sensor: [4, 4] });
    expect(f.shape).to.deep.equal([3, 4, 4, 2]);
    expect(frameCounts(f.data, 3)).to.deep.equal([[2, 1], [1, 2], [2, 2]]);
    // event 4 (x 0, y 1, OFF) is in frame 1 at [1, 0, 0]
    expect(f.data[1 * 32 + (1 * 4 + 0) * 2 + 0]).to.equal(1);
  });

  it('splits by time: floor((t_last - t_first)/T) µs per frame, the last extended to the end', () => {
    // dt = floor(90 / 4) = 22: frame 0 = [0,22) -> 3 events, 1 = [22,44) -> 2, 2 = [44,66) -> 2, 3 = the rest -> 3
    const f = eventsToFrames(ev, { frames: 4, splitBy: 'time', sensor: [4, 4] });
    expect(frameCounts(f.data, 4).map(([a, b]) => a + b)).to.deep.equal([3, 2, 2, 3]);
  });

  it('downsamples 4x4 to 2x2 by summing, normalises per frame, and counts events outside the sensor', () => {
    const out = { ...ev, x: Uint16Array.from([...ev.x.subarray(0, 9), 9]) };
    const f = eventsToFrames(out, { frames: 1, splitBy: 'number', sensor: [4, 4], size: [2, 2] });
    expect(f.dropped).to.equal(1);
    // pixel (0,0) of the 2x2 gets x in {0,1}, y in {0,1}: events 0 (OFF), 1 (ON), 4 (OFF), 5 (ON)
    expect(Array.from(f.data.subarray(0, 2))).to.deep.equal([2, 2]);
    // (0,1): events 2, 3; (1,0): event 8 (OFF); (1,1): events 6, 7
    expect(Array.from(f.data)).to.deep.equal([2, 2, 1, 1, 1, 0, 1, 1]);
    normalizeFramesByMax(f.data, 1);
    expect(Array.from(f.data)).to.deep.equal([1, 1, 0.5, 0.5, 0.5, 0, 0.5, 0.5]);
    expect(() => eventsToFrames(ev, { frames: 1, splitBy: 'number', sensor: [4, 4], size: [5, 4] })).to.throw('eventsToFrames: option size is invalid, got [5,4]; expected [H, W] with 0 < H <= 4, 0 < W <= 4.');
  });
});

describe('augmentation transforms', () => {
  const g = { frames: 2, h: 2, w: 3, c: 1 };
  const x = () => Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

  it('flips every frame left-right and shifts with zero fill or wrap-around', () => {
    const a = x();
    flipHorizontal(a, g);
    expect(Array.from(a)).to.deep.equal([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
    expect(Array.from(shift(x(), g, 0, 1, false))).to.deep.equal([2, 3, 0, 5, 6, 0, 8, 9, 0, 11, 12, 0]);
    expect(Array.from(shift(x(), g, 1, -1, true))).to.deep.equal([6, 4, 5, 3, 1, 2, 12, 10, 11, 9, 7, 8]);
  });

  it('crops, rolls and cuts out with the same draw on every frame', () => {
    const c = randomCrop(x(), g, 1, new Rng(1));
    // whatever the shift, frame 1 equals frame 0 + 6 where frame 0 is not zero-filled
    for (let i = 0; i < 6; i++) expect(c[i + 6]).to.equal(c[i] === 0 ? 0 : c[i]! + 6);
    const r = randomRoll(x(), g, 1, new Rng(2));
    expect([...r].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const big = { frames: 1, h: 8, w: 8, c: 1 };
    const ones = new Float32Array(64).fill(1);
    cutout(ones, big, 4, new Rng(3));
    const zeros = ones.filter((v) => v === 0).length;
    expect(zeros).to.be.within(4, 16); // a 4x4 square, clipped at the border
  });
});

describe('DVS128 Gesture labels csv', () => {
  it('parses rows as 0-based classes and windows, and names a bad entry', () => {
    const t = tempDir();
    const f = join(t.dir, 'user01_led_labels.csv');
    writeFileSync(f, 'class,startTime_usec,endTime_usec\r\n1,100,200\r\n11,300,450\r\n');
    expect(parseGestureLabels(f, 11)).to.deep.equal([{ label: 0, start: 100, end: 200 }, { label: 10, start: 300, end: 450 }]);
    writeFileSync(f, 'class,startTime_usec,endTime_usec\n1,100,200\n12,300,450\n');
    expect(() => parseGestureLabels(f, 11)).to.throw(DatasetFormatError, messages.labelsCsv(f, 3, '12,300,450', 'a class in 1..11'));
    writeFileSync(f, 'class,startTime_usec,endTime_usec\n1,100\n');
    expect(() => parseGestureLabels(f, 11)).to.throw(`${f} entry 2: bad labels row, got "1,100"`);
    t.cleanup();
  });
});
