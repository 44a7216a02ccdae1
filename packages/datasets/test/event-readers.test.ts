import { expect } from 'chai';
import {
  decodeAedat2, decodeAedat3, decodeAtis, encodeAedat2, encodeAedat3, encodeAtis, DatasetFormatError, messages, readEventFile,
  type EventColumns,
} from '@deepspike/datasets';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

const cols = (ev: EventColumns) => ({ t: Array.from(ev.t), x: Array.from(ev.x), y: Array.from(ev.y), p: Array.from(ev.p) });
const u8 = (...parts: (Buffer | number[])[]) => new Uint8Array(Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)))));
function throws(fn: () => unknown): DatasetFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(DatasetFormatError);
    return err as DatasetFormatError;
  }
  throw new Error('expected an error');
}

describe('ATIS .bin (N-MNIST, N-Caltech101)', () => {
  it('decodes x, y, polarity bit 23 and the 23-bit big-endian timestamp', () => {
    // x=3 y=5 ON t=0x123456 ; x=33 y=0 OFF t=0x7fffff
    const ev = decodeAtis('a.bin', u8([3, 5, 0x80 | 0x12, 0x34, 0x56, 33, 0, 0x7f, 0xff, 0xff]));
    expect(cols(ev)).to.deep.equal({ t: [0x123456, 0x7fffff], x: [3, 33], y: [5, 0], p: [1, 0] });
  });

  it('drops y = 240 overflow markers and adds 2^13 µs to later timestamps', () => {
    const ev = decodeAtis('a.bin', u8([1, 1, 0, 0, 9, 0, 240, 0, 0, 0, 2, 2, 0x80, 0, 10]));
    expect(cols(ev)).to.deep.equal({ t: [9, 8192 + 10], x: [1, 2], y: [1, 2], p: [0, 1] });
  });

  it('names the offset of a partial event', () => {
    const err = throws(() => decodeAtis('/d/x.bin', u8([1, 1, 0, 0, 9, 7, 7])));
    expect(err.message).to.equal(messages.truncated('/d/x.bin', 5, 'ATIS event 1', 2, 5));
  });

  it('round-trips through encodeAtis', () => {
    const ev = { t: Float64Array.from([0, 5, 70000]), x: Uint16Array.from([0, 10, 33]), y: Uint16Array.from([4, 0, 33]), p: Uint8Array.from([1, 0, 1]) };
    expect(cols(decodeAtis('r', encodeAtis(ev)))).to.deep.equal(cols(ev));
  });
});

/** A 28-byte AEDAT 3.1 packet header (little-endian) per the iniVation description. */
function packetHeader(type: number, size: number, tsOffset: number, overflow: number, capacity: number, number: number): Buffer {
  const b = Buffer.alloc(28);
  b.writeInt16LE(type, 0);
  b.writeInt16LE(1, 2);
  b.writeInt32LE(size, 4);
  b.writeInt32LE(tsOffset, 8);
  b.writeInt32LE(overflow, 12);
  b.writeInt32LE(capacity, 16);
  b.writeInt32LE(number, 20);
  b.writeInt32LE(number, 24);
  return b;
}
const polarity = (x: number, y: number, p: number, valid: number, ts: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(((x << 17) | (y << 2) | (p << 1) | valid) >>> 0, 0);
  b.writeInt32LE(ts, 4);
  return b;
};
const HEADER3 = Buffer.from('#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n', 'latin1');

describe('AEDAT 3.1 (DVS128 Gesture)', () => {
  it('decodes polarity packets, skips other types and invalid events, applies the timestamp overflow', () => {
    const bytes = u8(
      HEADER3,
      packetHeader(1, 8, 4, 0, 2, 2), polarity(127, 3, 1, 1, 100), polarity(5, 6, 0, 0, 150),
      packetHeader(2, 4, 0, 0, 1, 1), [1, 2, 3, 4], // a special-event packet: skipped
      packetHeader(1, 8, 4, 1, 2, 1), polarity(0, 127, 0, 1, 7), polarity(9, 9, 1, 1, 9), // capacity 2, number 1
    );
    expect(cols(decodeAedat3('g.aedat', bytes))).to.deep.equal({ t: [100, 2 ** 31 + 7], x: [127, 0], y: [3, 127], p: [1, 0] });
  });

  it('refuses a missing or unknown header version at byte 0', () => {
    const none = throws(() => decodeAedat3('g.aedat', u8(packetHeader(1, 8, 4, 0, 0, 0))));
    expect(none.message).to.equal(messages.aedatVersion('g.aedat', 'no header line', '"#!AER-DAT3.1" as the first line'));
    const v2 = throws(() => decodeAedat3('g.aedat', u8(Buffer.from('#!AER-DAT2.0\r\n'), [0, 0, 0, 0])));
    expect(v2.message).to.contain('missing or unknown AEDAT header version, got "#!AER-DAT2.0"');
    expect(v2.offset).to.equal(0);
  });

  it('names the packet whose events run past the end, and a partial packet header', () => {
    const second = HEADER3.length + 28 + 8;
    const overrun = throws(() => decodeAedat3('g.aedat', u8(HEADER3, packetHeader(1, 8, 4, 0, 1, 1), polarity(1, 1, 1, 1, 1), packetHeader(1, 8, 4, 0, 3, 3), polarity(1, 1, 1, 1, 2))));
    expect(overrun.message).to.equal(messages.packetOverrun('g.aedat', second, 'packet of 3 events × 8 bytes', 8, 24));
    expect(overrun.offset).to.equal(second);
    const partial = throws(() => decodeAedat3('g.aedat', u8(HEADER3, [1, 0, 1, 0])));
    expect(partial.message).to.equal(messages.truncated('g.aedat', HEADER3.length, 'AEDAT 3.1 packet header', 4, 28));
  });

  it('round-trips through encodeAedat3 across overflow and packet boundaries', () => {
    const n = 10;
    const ev = { t: Float64Array.from({ length: n }, (_, i) => i * 4e8), x: Uint16Array.from({ length: n }, (_, i) => i * 12), y: Uint16Array.from({ length: n }, (_, i) => 127 - i), p: Uint8Array.from({ length: n }, (_, i) => i % 2) };
    expect(cols(decodeAedat3('r', encodeAedat3(ev, 3)))).to.deep.equal(cols(ev));
  });
});

describe('AEDAT 2.0 (CIFAR10-DVS)', () => {
  const HEADER2 = Buffer.from('#!AER-DAT2.0\r\n# This is a raw AE data file\r\n', 'latin1');
  const event = (addr: number, t: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(addr, 0);
    b.writeUInt32BE(t, 4);
    return b;
  };

  it('decodes big-endian address/timestamp pairs with SpikingJelly orientation (x = 127 - yaddr, y = 127 - xaddr, p = 1 - bit0)', () => {
    const ev = decodeAedat2('c.aedat', u8(HEADER2, event((20 << 8) | (10 << 1) | 0, 1000), event((0 << 8) | (127 << 1) | 1, 0xfffffff0)));
    expect(cols(ev)).to.deep.equal({ t: [1000, 0xfffffff0], x: [107, 127], y: [117, 0], p: [1, 0] });
  });

  it('names a partial trailing event and a missing header', () => {
    const err = throws(() => decodeAedat2('/c.aedat', u8(HEADER2, event(1, 1), [0, 0, 0])));
    expect(err.offset).to.equal(HEADER2.length + 8);
    expect(err.message).to.equal(messages.truncated('/c.aedat', HEADER2.length + 8, 'AEDAT 2.0 event 1', 3, 8));
    expect(throws(() => decodeAedat2('/c.aedat', u8(event(1, 1)))).message).to.equal(messages.aedatVersion('/c.aedat', 'no header line', '"#!AER-DAT2.0" as the first line'));
  });

  it('round-trips through encodeAedat2 and is detected by readEventFile', () => {
    const t = tempDir();
    const ev = { t: Float64Array.from([1, 2, 3]), x: Uint16Array.from([0, 64, 127]), y: Uint16Array.from([127, 1, 0]), p: Uint8Array.from([0, 1, 1]) };
    const f = join(t.dir, 'a.aedat');
    writeFileSync(f, encodeAedat2(ev));
    const r = readEventFile(f);
    expect([r.format, r.sensor]).to.deep.equal(['aedat2', [128, 128]]);
    expect(cols(r.events)).to.deep.equal(cols(ev));
    expect(() => readEventFile(f, 'dat')).to.throw(`${f}: unknown event format, got "dat"; expected one of nmnist, ncaltech101, aedat3, aedat2. Pass --format.`);
    t.cleanup();
  });
});
