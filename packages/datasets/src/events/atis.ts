import type { EventColumns } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { allocColumns, truncateColumns } from './columns.js';

/** Bytes per ATIS event. */
export const ATIS_EVENT_BYTES = 5;
/** Orchard's marker of a timestamp overflow: an "event" with y = 240 adds 2^13 µs to all later timestamps. */
const OVERFLOW_Y = 240;
const OVERFLOW_INCREMENT = 1 << 13;

/**
 * Decodes an ATIS `.bin` event file of N-MNIST / N-Caltech101 (Orchard et al. 2015), as the authors' MATLAB
 * `Read_Ndataset.m`, tonic's `read_mnist_file` and SpikingJelly's `load_ATIS_bin` do. Each event is 40 bits:
 * ```
 * byte 0        bits 39-32  x address (pixels, 0 = left)
 * byte 1        bits 31-24  y address (pixels, 0 = top)
 * byte 2 bit 7  bit  23     polarity (0 = OFF, 1 = ON)
 * byte 2 bits 6-0, byte 3, byte 4
 *               bits 22-0   timestamp in microseconds, big-endian
 * ```
 * An event with y = 240 is not an event but a timestamp-overflow marker: it is dropped, and 2^13 µs is added
 * to the timestamps of every later event (tonic and SpikingJelly do the same).
 * @throws DatasetFormatError naming the file and the offset of a partial trailing event
 */
export function decodeAtis(file: string, bytes: Uint8Array): EventColumns {
  const n = Math.floor(bytes.length / ATIS_EVENT_BYTES);
  if (bytes.length % ATIS_EVENT_BYTES !== 0) {
    const offset = n * ATIS_EVENT_BYTES;
    throw new DatasetFormatError(messages.truncated(file, offset, `ATIS event ${n}`, bytes.length - offset, ATIS_EVENT_BYTES), file, offset);
  }
  const out = allocColumns(n);
  const { t, x, y, p } = out;
  let k = 0;
  let overflow = 0;
  for (let o = 0; o < n * ATIS_EVENT_BYTES; o += ATIS_EVENT_BYTES) {
    const yy = bytes[o + 1]!;
    if (yy === OVERFLOW_Y) {
      overflow += OVERFLOW_INCREMENT;
      continue;
    }
    const b2 = bytes[o + 2]!;
    x[k] = bytes[o]!;
    y[k] = yy;
    p[k] = b2 >> 7;
    t[k] = (((b2 & 0x7f) << 16) | (bytes[o + 3]! << 8) | bytes[o + 4]!) + overflow;
    k++;
  }
  return k === n ? out : truncateColumns(out, k);
}

/** Encodes events into ATIS bytes (the inverse of {@link decodeAtis}; timestamps must be < 2^23). For tests and tools. */
export function encodeAtis(ev: EventColumns): Uint8Array {
  const out = new Uint8Array(ev.t.length * ATIS_EVENT_BYTES);
  for (let i = 0; i < ev.t.length; i++) {
    const t = ev.t[i]!;
    const o = i * ATIS_EVENT_BYTES;
    out[o] = ev.x[i]!;
    out[o + 1] = ev.y[i]!;
    out[o + 2] = (ev.p[i]! << 7) | ((t >> 16) & 0x7f);
    out[o + 3] = (t >> 8) & 0xff;
    out[o + 4] = t & 0xff;
  }
  return out;
}
