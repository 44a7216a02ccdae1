import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';

/** The ASCII header of an AEDAT file. */
export interface AedatHeader {
  /** e.g. `"2.0"`, `"3.1"`. */
  readonly version: string;
  /** Header lines without line endings. */
  readonly lines: readonly string[];
  /** Byte offset of the first binary byte after the header. */
  readonly dataOffset: number;
}

/**
 * Reads the `#`-prefixed header lines of an AEDAT file (jAER / iniVation). The first line must be
 * `#!AER-DAT<major>.<minor>`; AEDAT 3.x headers end with the line `#!END-HEADER`, AEDAT 2.0 headers at the
 * first line not starting with `#`.
 * @param expectedMajor the major version the caller decodes (2 or 3)
 * @throws DatasetFormatError (byte 0) when the version line is missing or of another major version
 */
export function readAedatHeader(file: string, bytes: Uint8Array, expectedMajor: number): AedatHeader {
  const lines: string[] = [];
  let pos = 0;
  while (pos < bytes.length && bytes[pos] === 0x23 /* '#' */) {
    let end = bytes.indexOf(0x0a, pos);
    if (end < 0) end = bytes.length - 1;
    const line = Buffer.from(bytes.buffer, bytes.byteOffset + pos, end - pos + 1).toString('latin1').replace(/\r?\n$/, '');
    lines.push(line);
    pos = end + 1;
    if (line.startsWith('#!END-HEADER')) break;
  }
  const m = /^#!AER-DAT(\d+)\.(\d+)/.exec(lines[0] ?? '');
  const expected = expectedMajor === 3 ? '"#!AER-DAT3.1" as the first line' : '"#!AER-DAT2.0" as the first line';
  if (!m || Number(m[1]) !== expectedMajor) {
    const got = lines[0] === undefined ? 'no header line' : JSON.stringify(lines[0].slice(0, 40));
    throw new DatasetFormatError(messages.aedatVersion(file, got, expected), file, 0);
  }
  return { version: `${m[1]}.${m[2]}`, lines, dataOffset: pos };
}
