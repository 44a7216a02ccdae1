/**
 * Reader and pipeline throughput of @deepspike/datasets, on files generated here in the real formats.
 *
 *   npx tsx --conditions=deepspike-source bench/readers.bench.ts [--events N] [--cifar N] [--jpegs N] [--quick]
 *
 * - events/s of the ATIS, AEDAT 3.1 and AEDAT 2.0 readers (read the file + decode to columns; best of 3);
 * - images/s of the CIFAR-10 and ImageNet loaders (decode + augment + normalise + batch), alone and with the loader
 *   running ahead of a simulated training step of `stepMs` per batch: `idle` (a wait: accelerator or native
 *   threads) or `busy` (spinning the main thread, as tf.js cpu kernels do), with decoding on the main thread
 *   (workers 0) or in a decode worker (workers 1). `hidden` = step-only time / loop time: 1.0 means decoding is
 *   fully hidden behind the step.
 * Prints one JSON object on stdout and a table on stderr.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { createLoader, datasetEntries, encodeAedat2, encodeAedat3, encodeAtis, readEventFile, Rng, type Dataset, type EventColumns } from '../src/index.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const quick = process.argv.includes('--quick');
const EVENTS = arg('events', quick ? 200_000 : 2_000_000);
const CIFAR_PER_BATCH_FILE = arg('cifar', quick ? 500 : 2000);
const JPEGS = arg('jpegs', quick ? 32 : 128);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function events(n: number, side: number): EventColumns {
  const rng = new Rng(1);
  return {
    t: Float64Array.from({ length: n }, (_, i) => i * 3),
    x: Uint16Array.from({ length: n }, () => rng.int(side)),
    y: Uint16Array.from({ length: n }, () => rng.int(side)),
    p: Uint8Array.from({ length: n }, () => rng.int(2)),
  };
}

function bestOf3(fn: () => number): { seconds: number; count: number } {
  let best = Number.POSITIVE_INFINITY;
  let count = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    count = fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, count };
}

/** A training step stand-in: `idle` waits (accelerator / native threads), `busy` spins the main thread (tf.js cpu kernels). */
async function step(kind: 'idle' | 'busy', ms: number): Promise<void> {
  if (kind === 'idle') return sleep(ms);
  const end = performance.now() + ms;
  while (performance.now() < end);
}

async function pipeline(ds: Dataset, batchSize: number, stepKind: 'none' | 'idle' | 'busy', stepMs: number, prefetch: number, workers: number, maxBatches: number) {
  const loader = createLoader(ds, { split: 'train', batchSize, shuffle: true, seed: 1, augment: true, prefetch, workers, dropLast: true });
  if (workers > 0) {
    // start the workers and open the dataset in them before timing
    for await (const { x, y } of loader) {
      tf.dispose([x, y]);
      break;
    }
  }
  let images = 0;
  let batches = 0;
  const t0 = performance.now();
  for await (const { x, y } of loader) {
    images += y.shape[0]!;
    tf.dispose([x, y]);
    if (stepKind !== 'none') await step(stepKind, stepMs);
    if (++batches >= maxBatches) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  await loader.close?.();
  return {
    batchSize, step: stepKind, stepMs: stepKind === 'none' ? 0 : stepMs, prefetch, workers, batches, images, seconds: +seconds.toFixed(3),
    imagesPerSecond: Math.round(images / seconds), hidden: stepKind !== 'none' ? +((batches * stepMs) / 1000 / seconds).toFixed(3) : null,
  };
}

async function main(): Promise<void> {
  await initBackend('cpu', { log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'ds-bench-'));
  const table: string[] = [];
  try {
    // ---- event readers
    const readers: Record<string, unknown> = {};
    const ev128 = events(EVENTS, 128);
    const files = {
      atis: [join(dir, 'n.bin'), encodeAtis({ ...events(EVENTS, 34), t: Float64Array.from({ length: EVENTS }, (_, i) => i % 8_000_000) })],
      aedat3: [join(dir, 'g.aedat'), encodeAedat3(ev128, 4096)],
      aedat2: [join(dir, 'c.aedat'), encodeAedat2(ev128)],
    } as const;
    for (const [name, [file, bytes]] of Object.entries(files)) {
      writeFileSync(file, bytes);
      const r = bestOf3(() => readEventFile(file, name === 'atis' ? 'nmnist' : name).events.t.length);
      const eps = Math.round(r.count / r.seconds);
      readers[name] = { events: r.count, megabytes: +(bytes.length / 1e6).toFixed(1), seconds: +r.seconds.toFixed(4), eventsPerSecond: eps };
      table.push(`${name.padEnd(8)} ${String(r.count).padStart(9)} events  ${(eps / 1e6).toFixed(1).padStart(7)} M events/s`);
    }

    // ---- CIFAR-10 pipeline
    const bin = join(dir, 'cifar-10-batches-bin');
    mkdirSync(bin);
    const rng = new Rng(2);
    const record = () => {
      const b = Buffer.alloc(3073);
      b[0] = rng.int(10);
      for (let i = 1; i < 3073; i++) b[i] = rng.int(256);
      return b;
    };
    for (const f of [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin')) {
      writeFileSync(join(bin, f), Buffer.concat(Array.from({ length: CIFAR_PER_BATCH_FILE }, record)));
    }
    const cifar = await datasetEntries.cifar10!.open({ root: dir });
    const cifarBatches = Math.floor(cifar.size('train') / 128) - 1;
    const cb = Math.min(cifarBatches, 40);
    const cifarRuns = [
      await pipeline(cifar, 128, 'none', 0, 2, 0, cifarBatches),
      await pipeline(cifar, 128, 'idle', 20, 3, 0, cb),
      await pipeline(cifar, 128, 'idle', 20, 3, 1, cb),
      await pipeline(cifar, 128, 'busy', 20, 3, 0, cb),
      await pipeline(cifar, 128, 'busy', 20, 3, 1, cb),
    ];

    // ---- ImageNet pipeline on generated JPEGs (500x375, 8 classes)
    for (const split of ['train', 'val']) {
      for (let c = 0; c < 8; c++) {
        const d = join(dir, 'imagenet', split, `n0${c}`);
        mkdirSync(d, { recursive: true });
        const per = split === 'train' ? Math.ceil(JPEGS / 8) : 1;
        for (let i = 0; i < per; i++) {
          const raw = Buffer.alloc(500 * 375 * 3);
          for (let k = 0; k < raw.length; k++) raw[k] = (k * (c + 3) + i * 7 + ((k / 1500) | 0)) & 255;
          await sharp(raw, { raw: { width: 500, height: 375, channels: 3 } }).jpeg({ quality: 90 }).toFile(join(d, `img_${i}.JPEG`));
        }
      }
    }
    const imagenet = await datasetEntries.imagenet!.open({ root: join(dir, 'imagenet') });
    const inBatches = Math.floor(imagenet.size('train') / 16) - 1;
    const imagenetRuns = [
      await pipeline(imagenet, 16, 'none', 0, 1, 0, inBatches),
      await pipeline(imagenet, 16, 'none', 0, 3, 0, inBatches),
      await pipeline(imagenet, 16, 'idle', 150, 1, 0, inBatches),
      await pipeline(imagenet, 16, 'idle', 150, 3, 0, inBatches),
      await pipeline(imagenet, 16, 'busy', 150, 3, 0, inBatches),
      await pipeline(imagenet, 16, 'busy', 150, 3, 1, inBatches),
    ];
    for (const [name, runs] of [['cifar10', cifarRuns], ['imagenet', imagenetRuns]] as const) {
      for (const r of runs) {
        table.push(`${name.padEnd(8)} batch ${String(r.batchSize).padStart(3)} step ${r.step.padEnd(4)} ${String(r.stepMs).padStart(3)} ms prefetch ${r.prefetch} workers ${r.workers}: ${String(r.imagesPerSecond).padStart(6)} images/s${r.hidden === null ? '' : `  hidden ${r.hidden}`}`);
      }
    }
    // ---- memory over a full MNIST epoch (batch 256, augmented, prefetch 3): tensors and RSS stay flat
    const mnist = await datasetEntries.mnist!.open({});
    const mem = { tensorsBefore: tf.memory().numTensors, tensorsMaxLive: 0, tensorsAfter: 0, rssStartMB: 0, rssMaxMB: 0, rssEndMB: 0, batches: 0 };
    const mb = () => Math.round(process.memoryUsage().rss / 1e6);
    mem.rssStartMB = mb();
    mem.rssMaxMB = mem.rssStartMB;
    for await (const { x, y } of createLoader(mnist, { split: 'train', batchSize: 256, shuffle: true, seed: 3, augment: true, prefetch: 3 })) {
      mem.tensorsMaxLive = Math.max(mem.tensorsMaxLive, tf.memory().numTensors - mem.tensorsBefore);
      tf.dispose([x, y]);
      mem.rssMaxMB = Math.max(mem.rssMaxMB, mb());
      mem.batches++;
    }
    mem.tensorsAfter = tf.memory().numTensors;
    mem.rssEndMB = mb();
    table.push(`mnist epoch batch 256: ${mem.batches} batches, live tensors <= ${mem.tensorsMaxLive}, RSS ${mem.rssStartMB} -> max ${mem.rssMaxMB} -> ${mem.rssEndMB} MB`);

    const result = {
      mnistEpochMemory: mem,
      benchmark: '@deepspike/datasets readers',
      node: process.version,
      backend: tf.getBackend(),
      uvThreadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
      readers,
      cifar10: { trainImages: cifar.size('train'), runs: cifarRuns },
      imagenet: { trainImages: imagenet.size('train'), source: '500x375 JPEG q90', output: '224x224 RandomResizedCrop+flip', runs: imagenetRuns },
      ratios: {
        aedat3VsAtis: +(((readers.aedat3 as { eventsPerSecond: number }).eventsPerSecond) / (readers.atis as { eventsPerSecond: number }).eventsPerSecond).toFixed(2),
        aedat2VsAtis: +(((readers.aedat2 as { eventsPerSecond: number }).eventsPerSecond) / (readers.atis as { eventsPerSecond: number }).eventsPerSecond).toFixed(2),
        imagenetIdleStepPrefetch3VsPrefetch1: +(imagenetRuns[3]!.imagesPerSecond / imagenetRuns[2]!.imagesPerSecond).toFixed(2),
        imagenetBusyStepWorkerVsMainThread: +(imagenetRuns[5]!.imagesPerSecond / imagenetRuns[4]!.imagesPerSecond).toFixed(2),
        cifarBusyStepWorkerVsMainThread: +(cifarRuns[4]!.imagesPerSecond / cifarRuns[3]!.imagesPerSecond).toFixed(2),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    console.error(table.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
