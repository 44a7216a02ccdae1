import type { EventColumns } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { allocColumns, truncateColumns } from './columns.js';
import { readAedatHeader } from './aedat-header.js';

/** Bytes of an AEDAT 3.1 packet header. */
export const AEDAT3_PACKET_HEADER_BYTES = 28;
/** Event type of polarity (DVS) events. */
export const AEDAT3_POLARITY_EVENT = 1;

/**
 * Decodes the polarity events of an AEDAT 3.1 file (DVS128 Gesture), after the iniVation format
 * description, as SpikingJelly's `load_aedat_v3` (itself after dv-python) reads it. All integers little-endian.
 *
 * After the `#` header lines (`#!AER-DAT3.1` ... `#!END-HEADER`), the file is a sequence of packets:
 * ```
 * packet header, 28 bytes:
 *   +0  int16 eventType        (1 = polarity; other types are skipped)
 *   +2  int16 eventSource
 *   +4  int32 eventSize        (bytes per event; 8 for polarity)
 *   +8  int32 eventTSOffset    (byte offset of the timestamp inside an event; 4 for polarity)
 *   +12 int32 eventTSOverflow  (high bits of the timestamps: t = eventTSOverflow * 2^31 + ts)
 *   +16 int32 eventCapacity    (events the packet has room for; the payload is eventCapacity * eventSize bytes)
 *   +20 int32 eventNumber      (events actually stored)
 *   +24 int32 eventValid       (events whose valid mark is set)
 * polarity event, 8 bytes:
 *   +0 uint32 data: bit 0 valid mark, bit 1 polarity (1 = ON), bits 2-16 y, bits 17-31 x
 *   +4 int32  timestamp (µs, low 31 bits)
 * ```
 * Only the first `eventNumber` events of a packet are read, and events whose valid mark is 0 are skipped (the
 * format marks filtered-out events that way; SpikingJelly reads all `eventCapacity` slots, which is the same on
 * the published recordings, where capacity = number = valid).
 * @throws DatasetFormatError on a missing/unknown header version (byte 0), a partial packet header, or a packet
 *   whose payload runs past the end of the file (offset of the packet header)
 */
export function decodeAedat3(file: string, bytes: Uint8Array): EventColumns {
  const header = readAedatHeader(file, bytes, 3);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = allocColumns(Math.floor((bytes.length - header.dataOffset) / 8));
  const { t, x, y, p } = out;
  let k = 0;
  let pos = header.dataOffset;
  while (pos < bytes.length) {
    const left = bytes.length - pos;
    if (left < AEDAT3_PACKET_HEADER_BYTES) {
      throw new DatasetFormatError(messages.truncated(file, pos, 'AEDAT 3.1 packet header', left, AEDAT3_PACKET_HEADER_BYTES), file, pos);
    }
    const type = view.getInt16(pos, true);
    const size = view.getInt32(pos + 4, true);
    const tsOffset = view.getInt32(pos + 8, true);
    const overflow = view.getInt32(pos + 12, true);
    const capacity = view.getInt32(pos + 16, true);
    const number = view.getInt32(pos + 20, true);
    if (size <= 0 || capacity < 0 || number < 0 || number > capacity) {
      throw new DatasetFormatError(messages.packetHeader(file, pos, 'eventSize/eventCapacity/eventNumber', `${size}/${capacity}/${number}`, 'eventSize > 0 and 0 <= eventNumber <= eventCapacity'), file, pos);
    }
    const payload = size * capacity;
    const start = pos + AEDAT3_PACKET_HEADER_BYTES;
    if (payload > bytes.length - start) {
      throw new DatasetFormatError(messages.packetOverrun(file, pos, `packet of ${capacity} events × ${size} bytes`, bytes.length - start, payload), file, pos);
    }
    if (type === AEDAT3_POLARITY_EVENT) {
      if (size < 8 || tsOffset !== 4) {
        throw new DatasetFormatError(messages.packetHeader(file, pos, 'polarity eventSize/eventTSOffset', `${size}/${tsOffset}`, '8/4'), file, pos);
      }
      const high = overflow * 2147483648;
      for (let e = 0, o = start; e < number; e++, o += size) {
        const data = view.getUint32(o, true);
        if ((data & 1) === 0) continue;
        x[k] = (data >>> 17) & 0x7fff;
        y[k] = (data >>> 2) & 0x7fff;
        p[k] = (data >>> 1) & 1;
        t[k] = high + view.getInt32(o + 4, true);
        k++;
      }
    }
    pos = start + payload;
  }
  return truncateColumns(out, k);
}

/**
 * Encodes polarity events as an AEDAT 3.1 file (header + packets of up to `perPacket` events), the inverse of
 * {@link decodeAedat3}. For tests, benchmarks and tools.
 */
export function encodeAedat3(ev: EventColumns, perPacket = 4096): Uint8Array {
  const head = Buffer.from('#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n', 'latin1');
  const chunks: Buffer[] = [head];
  for (let s = 0; s < ev.t.length; s += perPacket) {
    const n = Math.min(perPacket, ev.t.length - s);
    const b = Buffer.alloc(AEDAT3_PACKET_HEADER_BYTES + 8 * n);
    const overflow = Math.floor(ev.t[s]! / 2147483648);
    b.writeInt16LE(AEDAT3_POLARITY_EVENT, 0);
    b.writeInt16LE(1, 2);
    b.writeInt32LE(8, 4);
    b.writeInt32LE(4, 8);
    b.writeInt32LE(overflow, 12);
    b.writeInt32LE(n, 16);
    b.writeInt32LE(n, 20);
    b.writeInt32LE(n, 24);
    for (let i = 0; i < n; i++) {
      const e = s + i;
      const data = ((ev.x[e]! << 17) | (ev.y[e]! << 2) | (ev.p[e]! << 1) | 1) >>> 0;
      b.writeUInt32LE(data, 28 + 8 * i);
      b.writeInt32LE(ev.t[e]! - overflow * 2147483648, 32 + 8 * i);
    }
    chunks.push(b);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
