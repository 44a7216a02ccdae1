import { closeSync, existsSync, fstatSync, mkdirSync, openSync, read, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { join } from 'node:path';
import { promisify } from 'node:util';
import cliProgress from 'cli-progress';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';

const readAsync = promisify(read);

/** Bumped whenever the cache layout or the frame integration changes; part of every key. */
export const FRAME_CACHE_VERSION = 1;
const MAGIC = 'DSFRAME1';
const HEADER_BYTES = 32;

/**
 * On-disk layout of one split's cache file (`<dir>/<split>.frames`, little-endian):
 * ```
 * 0   8 bytes  "DSFRAME1"
 * 8   uint32   FRAME_CACHE_VERSION
 * 12  uint32   T          16 uint32 H      20 uint32 W
 * 24  uint32   count      28 uint32 reserved (0)
 * 32  uint16 × count      labels, padded to a multiple of 4 bytes
 * then count records of T × H × W × 2 uint16 event counts (saturating at 65535)
 * ```
 * Written to `<split>.frames.<pid>.<thread>.tmp` and renamed when complete, so a reader never sees a half-written cache.
 */
export interface FrameCacheShape {
  readonly frames: number;
  readonly height: number;
  readonly width: number;
}

/** Stable short hash of a JSON-able key (the cache folder name suffix). */
export function cacheKeyHash(key: unknown): string {
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
}

const labelBytes = (count: number): number => Math.ceil((count * 2) / 4) * 4;

/** One sample to cache: how to produce its frames. */
export interface CacheJob {
  readonly label: number;
  /** Returns the sample's frames `[T, H, W, 2]` counts. */
  frames(): Float32Array;
}

/** A split's cache file, opened for random access. */
export class FrameCacheFile {
  private fd: number | undefined;
  constructor(
    readonly path: string,
    readonly shape: FrameCacheShape,
    readonly labels: Uint16Array,
  ) {}

  /** Elements per record. */
  get recordSize(): number {
    return this.shape.frames * this.shape.height * this.shape.width * 2;
  }

  /** Reads record `i` as float32 counts (async file read, off the main thread). */
  async read(i: number): Promise<Float32Array> {
    this.fd ??= openSync(this.path, 'r');
    const bytes = this.recordSize * 2;
    const buf = Buffer.allocUnsafe(bytes);
    const offset = HEADER_BYTES + labelBytes(this.labels.length) + i * bytes;
    const { bytesRead } = await readAsync(this.fd, buf, 0, bytes, offset);
    if (bytesRead !== bytes) throw new DatasetFormatError(messages.truncated(this.path, offset, `cached record ${i}`, bytesRead, bytes), this.path, offset);
    const counts = new Uint16Array(buf.buffer, buf.byteOffset, this.recordSize);
    return Float32Array.from(counts);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Opens a cache file when it exists and matches the shape and count exactly; otherwise `undefined`. */
export function openFrameCache(path: string, shape: FrameCacheShape, count: number): FrameCacheFile | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES + labelBytes(count));
    const got = readSync(fd, head, 0, head.length, 0);
    const ok =
      got === head.length &&
      head.toString('latin1', 0, 8) === MAGIC &&
      head.readUInt32LE(8) === FRAME_CACHE_VERSION &&
      head.readUInt32LE(12) === shape.frames &&
      head.readUInt32LE(16) === shape.height &&
      head.readUInt32LE(20) === shape.width &&
      head.readUInt32LE(24) === count &&
      fstatSync(fd).size === HEADER_BYTES + labelBytes(count) + count * shape.frames * shape.height * shape.width * 4;
    if (!ok) return undefined;
    const labels = new Uint16Array(count);
    for (let i = 0; i < count; i++) labels[i] = head.readUInt16LE(HEADER_BYTES + 2 * i);
    return new FrameCacheFile(path, shape, labels);
  } finally {
    closeSync(fd);
  }
}

/**
 * Builds a split's cache file from `jobs` (in order), with a progress bar on stderr (`cli-progress`;
 * plain periodic lines when stderr is not a TTY). Writes to a temporary file and renames it when done.
 */
export function buildFrameCache(path: string, shape: FrameCacheShape, jobs: readonly CacheJob[], title: string, progress: boolean): FrameCacheFile {
  const tmp = `${path}.${process.pid}.${threadId}.tmp`; // unique: concurrent builders never share a file
  const fd = openSync(tmp, 'w');
  const bar = progress
    ? new cliProgress.SingleBar(
        { format: `${title} [{bar}] {value}/{total} samples | {duration_formatted}`, stream: process.stderr, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 5000 },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  try {
    const head = Buffer.alloc(HEADER_BYTES + labelBytes(jobs.length));
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(FRAME_CACHE_VERSION, 8);
    head.writeUInt32LE(shape.frames, 12);
    head.writeUInt32LE(shape.height, 16);
    head.writeUInt32LE(shape.width, 20);
    head.writeUInt32LE(jobs.length, 24);
    jobs.forEach((j, i) => head.writeUInt16LE(j.label, HEADER_BYTES + 2 * i));
    writeSync(fd, head);
    bar?.start(jobs.length, 0);
    const record = shape.frames * shape.height * shape.width * 2;
    for (const job of jobs) {
      const f = job.frames();
      const out = new Uint16Array(record);
      for (let i = 0; i < record; i++) out[i] = Math.min(65535, f[i]!);
      writeSync(fd, out);
      bar?.increment();
    }
    bar?.stop();
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    bar?.stop();
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  return new FrameCacheFile(path, shape, Uint16Array.from(jobs, (j) => j.label));
}

/** Creates the cache folder and writes its human-readable `key.json`. */
export function prepareCacheDir(dir: string, key: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'key.json'), `${JSON.stringify(key, null, 2)}\n`);
}

/** `{size, mtimeMs}` of a file, for cache keys (so replaced source files invalidate the cache). */
export function fileStamp(file: string): [number, number] {
  const s = statSync(file);
  return [s.size, Math.round(s.mtimeMs)];
}

