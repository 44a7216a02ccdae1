import { join } from 'node:path';
import { check } from '@deepspike/core';
import type { AugmentOptions, Dataset, DatasetOptions, EventColumns, Sample, Split } from '../types.js';
import { messages } from '../messages.js';
import { readDatasetFile } from '../io/read-file.js';
import { EVENT_FORMATS, type EventFormat } from './formats.js';
import { sliceByTime } from './columns.js';
import { eventsToFrames, normalizeFramesByMax } from './frames.js';
import { buildFrameCache, cacheKeyHash, fileStamp, FRAME_CACHE_VERSION, openFrameCache, prepareCacheDir, type CacheJob, type FrameCacheFile } from './frame-cache.js';

/** One sample of an event dataset: a whole file, or the `[start, end)` µs window of a recording. */
export interface EventSampleRef {
  readonly file: string;
  readonly label: number;
  readonly cut?: readonly [number, number];
}

/** What an event dataset opener found on disk. */
export interface EventDatasetSpec {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly format: EventFormat;
  readonly splits: Readonly<Record<Split, readonly EventSampleRef[]>>;
  readonly defaultAugment?: AugmentOptions;
  /** Where the cache goes unless `cacheDir` is given. */
  readonly root: string;
}

/** Options of every event dataset. */
export interface EventDatasetOptions extends DatasetOptions {
  /** Frames per sample T. Default 10. */
  readonly frames?: number;
  /** `number` (equal event counts, default) or `time` (equal durations). */
  readonly splitBy?: 'number' | 'time';
  /** Output `[H, W]` (downsampling), e.g. `[48, 48]` for 128×128 sensors. Default: the sensor size. */
  readonly size?: readonly [number, number];
  /** `max`: divide each frame by its largest count when read (not part of the cache key). Default none. */
  readonly normalize?: 'max' | 'none';
  /** Folder of the frame cache. Default `<root>/.deepspike-frames`. */
  readonly cacheDir?: string;
  /** Show a progress bar while building the cache. Default true. */
  readonly progress?: boolean;
}

/**
 * Opens an event dataset as frames: integrates every sample into `[T, H, W, 2]` counts once, caches them on disk
 * (`<cacheDir>/<name>-<hash of the options and source files>/<split>.frames`, versioned by
 * `FRAME_CACHE_VERSION`), then serves samples by random access to the cache (never all in memory).
 */
export async function openEventDataset(spec: EventDatasetSpec, options: EventDatasetOptions): Promise<Dataset> {
  const frames = options.frames ?? 10;
  const splitBy = options.splitBy ?? 'number';
  const [sw, sh] = EVENT_FORMATS[spec.format].sensor;
  const [h, w] = options.size ?? [sh, sw];
  const where = `${spec.name}.open`;
  check(Number.isInteger(frames) && frames > 0, () => messages.badOption(where, 'frames', frames, 'a positive integer'));
  check(splitBy === 'number' || splitBy === 'time', () => messages.badOption(where, 'splitBy', splitBy, '"number" or "time"'));
  check(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0 && h <= sh && w <= sw, () => messages.badOption(where, 'size', options.size, `[H, W] within the ${sh}×${sw} sensor`));
  const normalize = options.normalize ?? 'none';
  check(normalize === 'max' || normalize === 'none', () => messages.badOption(where, 'normalize', normalize, '"max" or "none"'));

  const key = {
    version: FRAME_CACHE_VERSION,
    dataset: spec.name,
    format: spec.format,
    frames,
    splitBy,
    size: [h, w],
    sources: cacheKeyHash((['train', 'test'] as const).map((s) => spec.splits[s].map((r) => [r.file, r.label, r.cut ?? null, fileStamp(r.file)]))),
  };
  const dir = join(options.cacheDir ?? join(spec.root, '.deepspike-frames'), `${spec.name}-${cacheKeyHash(key)}`);
  const shape = { frames, height: h, width: w };
  const caches = {} as Record<Split, FrameCacheFile>;
  for (const split of ['train', 'test'] as const) {
    const refs = spec.splits[split];
    const path = join(dir, `${split}.frames`);
    const existing = openFrameCache(path, shape, refs.length);
    if (existing) {
      caches[split] = existing;
      continue;
    }
    prepareCacheDir(dir, key);
    let lastFile = '';
    let lastEvents: EventColumns | undefined;
    const jobs: CacheJob[] = refs.map((r) => ({
      label: r.label,
      frames: () => {
        if (r.file !== lastFile) {
          lastEvents = EVENT_FORMATS[spec.format].decode(r.file, readDatasetFile(r.file, 'the event file', 'Check the dataset folder.'));
          lastFile = r.file;
        }
        const ev = r.cut ? sliceByTime(lastEvents!, r.cut[0], r.cut[1]) : lastEvents!;
        const f = eventsToFrames(ev, { frames, splitBy, sensor: [sh, sw], size: [h, w] });
        dropped += f.dropped;
        return f.data;
      },
    }));
    let dropped = 0;
    caches[split] = buildFrameCache(path, shape, jobs, `${spec.name} ${split} frames`, options.progress ?? true);
    if (dropped > 0) process.stderr.write(`${messages.eventsDropped(`${spec.name} ${split}`, dropped, [sh, sw])}\n`);
  }

  return {
    name: spec.name,
    classes: spec.classNames.length,
    classNames: spec.classNames,
    inputShape: [frames, h, w, 2],
    kind: 'events',
    defaultAugment: spec.defaultAugment,
    size: (split) => spec.splits[split].length,
    async get(split: Split, index: number): Promise<Sample> {
      const cache = caches[split];
      check(Number.isInteger(index) && index >= 0 && index < cache.labels.length, () => messages.badOption(`${spec.name}.get`, 'index', index, `0..${cache.labels.length - 1}`));
      const x = await cache.read(index);
      if (normalize === 'max') normalizeFramesByMax(x, frames);
      return { x, label: cache.labels[index]! };
    },
    async close() {
      caches.train.close();
      caches.test.close();
    },
  };
}
