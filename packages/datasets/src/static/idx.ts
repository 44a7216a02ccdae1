import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { readDatasetFile } from '../io/read-file.js';

/** A decoded IDX file of unsigned bytes. */
export interface IdxArray {
  /** Dimensions, e.g. `[60000, 28, 28]` for images, `[60000]` for labels. */
  readonly dims: readonly number[];
  /** The bytes after the header, row-major, exactly `prod(dims)` long. */
  readonly data: Uint8Array;
  /** Byte offset of `data` in the (decompressed) file: `4 + 4 * rank`. */
  readonly headerBytes: number;
}

/**
 * Reads an IDX file (LeCun's MNIST format; also Fashion-MNIST), plain or gzip-compressed.
 *
 * Layout (all integers big-endian):
 * ```
 * byte 0-1   0x0000
 * byte 2     element type: 0x08 = unsigned byte (the only one MNIST uses)
 * byte 3     rank r (1 = labels, 3 = images)
 * byte 4..   r uint32 dimension sizes
 * then       prod(dims) elements, row-major (images: N × rows × cols, 0 = background)
 * ```
 * @param rank the expected rank (1 for labels, 3 for images)
 * @throws DatasetFormatError on a wrong magic number, a wrong rank, or a partial record (naming the byte offset
 *   of the first incomplete record)
 */
export function readIdx(file: string, rank: number, fix: string): IdxArray {
  const bytes = readDatasetFile(file, rank === 1 ? 'the IDX labels' : 'the IDX images', fix);
  if (bytes.length < 4) throw new DatasetFormatError(messages.truncated(file, 0, 'IDX header', bytes.length, 4), file, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || (magic & 0xff) === 0) {
    throw new DatasetFormatError(messages.idxMagic(file, magic), file, 0);
  }
  const r = bytes[3]!;
  if (r !== rank) throw new DatasetFormatError(messages.idxRank(file, r, rank), file, 3);
  const headerBytes = 4 + 4 * r;
  if (bytes.length < headerBytes) {
    throw new DatasetFormatError(messages.truncated(file, 4, 'IDX header', bytes.length - 4, 4 * r), file, 4);
  }
  const dims: number[] = [];
  for (let i = 0; i < r; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const record = dims.slice(1).reduce((a, b) => a * b, 1);
  const expected = dims[0]! * record;
  const available = bytes.length - headerBytes;
  if (available < expected) {
    const whole = Math.floor(available / record);
    const offset = headerBytes + whole * record;
    throw new DatasetFormatError(
      messages.truncated(file, offset, `record ${whole} of ${dims[0]}`, available - whole * record, record),
      file,
      offset,
    );
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + expected), headerBytes };
}
