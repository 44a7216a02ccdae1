import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * Reads a whole dataset file into memory, transparently gunzipping it when it starts with the gzip
 * magic `1f 8b` (Fashion-MNIST and MNIST are distributed as `.gz`).
 * @throws DatasetFormatError naming the file when it does not exist or the gzip stream is cut short
 */
export function readDatasetFile(file: string, what: string, fix: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    throw new DatasetFormatError(messages.fileMissing(file, what, fix), file);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw);
    } catch (err) {
      throw new DatasetFormatError(messages.gzipBroken(file, raw.length, (err as Error).message), file, raw.length);
    }
  }
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
}

/** Whether `file` exists and is a regular file. */
export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
