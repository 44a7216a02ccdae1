/**
 * Speed of the saccade event generator (`mnist-saccade`), so the cost of generating events on the fly
 * can be set against a training step:
 *
 *   npm run bench:saccade -w @deepspike/datasets [-- --samples N]
 *
 * - `generator`: samples/s of `saccadeFrames` alone on MNIST training images (default frames, 6 × 34 × 34 × 2;
 *   images decoded beforehand; best of 3 passes, after a warm-up);
 * - `loader`: samples/s of a main-thread loader over the `mnist-saccade` dataset (generation + batching into
 *   `[T, N, 34, 34, 2]` tensors, batch 64), i.e. what the trainer's data side costs per sample.
 * Prints one JSON object on stdout.
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { createLoader, openMnist, openMnistSaccade, saccadeFrames } from '../src/index.js';

const i = process.argv.indexOf('--samples');
const SAMPLES = i >= 0 ? Number(process.argv[i + 1]) : 3000;

await initBackend('cpu', { log: () => {} });
const mnist = await openMnist();
const images: Float32Array[] = [];
for (let k = 0; k < SAMPLES; k++) images.push((await mnist.get('train', k)).x);
const out = new Float32Array(6 * 34 * 34 * 2);
for (let k = 0; k < Math.min(300, SAMPLES); k++) saccadeFrames(images[k]!, {}, out);
let best = Infinity;
for (let pass = 0; pass < 3; pass++) {
  const t0 = performance.now();
  for (const im of images) saccadeFrames(im, {}, out);
  best = Math.min(best, (performance.now() - t0) / 1000);
}

const ds = await openMnistSaccade({ limit: SAMPLES });
const loader = createLoader(ds, { split: 'train', batchSize: 64, shuffle: true, seed: 0 });
const t1 = performance.now();
let n = 0;
for await (const b of loader) {
  n += b.y.shape[0] as number;
  tf.dispose([b.x, b.y]);
}
const loaderSeconds = (performance.now() - t1) / 1000;
console.log(JSON.stringify({
  samples: SAMPLES,
  generator: { seconds: best, samplesPerSec: Math.round(SAMPLES / best), msPerSample: (1000 * best) / SAMPLES },
  loader: { seconds: loaderSeconds, samplesPerSec: Math.round(n / loaderSeconds) },
  epochSeconds60k: { generator: (60000 * best) / SAMPLES, loader: (60000 * loaderSeconds) / n },
}));
