import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'ds-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bytes of an IDX file of unsigned bytes (magic 0x0000080r, big-endian dims), per LeCun's description. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Array.from(data))]);
}

/** Writes train/t10k IDX pairs of `n` 4x3 images whose pixel k of image i is (i*16+k) & 255, labels i % 10. */
export function writeMiniMnist(dir: string, nTrain: number, nTest: number, gzip = false): void {
  for (const [prefix, n] of [['train', nTrain], ['t10k', nTest]] as const) {
    const px = Array.from({ length: n * 12 }, (_, k) => (Math.floor(k / 12) * 16 + (k % 12)) & 255);
    const lab = Array.from({ length: n }, (_, i) => i % 10);
    const img = idxBytes([n, 4, 3], px);
    const lbl = idxBytes([n], lab);
    const suffix = gzip ? '.gz' : '';
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${suffix}`), gzip ? gzipSync(img) : img);
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${suffix}`), gzip ? gzipSync(lbl) : lbl);
  }
}
