import type { EventColumns } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { allocColumns } from './columns.js';
import { readAedatHeader } from './aedat-header.js';

/** Side of the DVS128 sensor. */
const SIDE = 128;

/**
 * Decodes an AEDAT 2.0 (jAER) DVS128 recording, the format of CIFAR10-DVS, as SpikingJelly's `cifar10_dvs.py`
 * (after events-tfds' `aedat.py`) reads it. After the `#` header lines (the first being `#!AER-DAT2.0`), the file
 * is a sequence of 8-byte events, both words BIG-endian:
 * ```
 * +0 uint32 address: bit 0 polarity (jAER: 1 = OFF), bits 1-7 x, bits 8-14 y   (masks 0x1, 0xFE, 0x7F00)
 * +4 uint32 timestamp (µs)
 * ```
 * The sensor is read out mirrored and transposed with respect to the scene, so, as SpikingJelly does, the returned
 * coordinates are `x = 127 - y_address`, `y = 127 - x_address` and the polarity `p = 1 - bit0` (1 = ON).
 * @throws DatasetFormatError on a missing/unknown header version (byte 0) or a partial trailing event (its offset)
 */
export function decodeAedat2(file: string, bytes: Uint8Array): EventColumns {
  const header = readAedatHeader(file, bytes, 2);
  const body = bytes.length - header.dataOffset;
  const n = Math.floor(body / 8);
  if (body % 8 !== 0) {
    const offset = header.dataOffset + n * 8;
    throw new DatasetFormatError(messages.truncated(file, offset, `AEDAT 2.0 event ${n}`, bytes.length - offset, 8), file, offset);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = allocColumns(n);
  const { t, x, y, p } = out;
  for (let i = 0, o = header.dataOffset; i < n; i++, o += 8) {
    const addr = view.getUint32(o, false);
    x[i] = SIDE - 1 - ((addr & 0x7f00) >>> 8);
    y[i] = SIDE - 1 - ((addr & 0xfe) >>> 1);
    p[i] = 1 - (addr & 1);
    t[i] = view.getUint32(o + 4, false);
  }
  return out;
}

/** Encodes events as an AEDAT 2.0 DVS128 file, the inverse of {@link decodeAedat2}. For tests, benchmarks and tools. */
export function encodeAedat2(ev: EventColumns): Uint8Array {
  const head = Buffer.from('#!AER-DAT2.0\r\n# This is a raw AE data file - do not edit\r\n# Data format is int32 address, int32 timestamp (8 bytes total)\r\n', 'latin1');
  const b = Buffer.alloc(8 * ev.t.length);
  for (let i = 0; i < ev.t.length; i++) {
    const ax = SIDE - 1 - ev.y[i]!;
    const ay = SIDE - 1 - ev.x[i]!;
    b.writeUInt32BE(((ay << 8) | (ax << 1) | (1 - ev.p[i]!)) >>> 0, 8 * i);
    b.writeUInt32BE(ev.t[i]!, 8 * i + 4);
  }
  return new Uint8Array(Buffer.concat([head, b]));
}
