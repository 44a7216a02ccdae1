/**
 * Benchmark: fused `DeepSpikeTdBN`/`DeepSpikeTdBNGrad` cpu kernels vs composite tf.js ops, forward
 * and forward+backward, side by side in one run (plus wasm's composite path for reference).
 * Prints one JSON object (stdout) and a table (stderr).
 *
 *   node --conditions=deepspike-source --import tsx bench/tdbn-fused.bench.ts [--shape 4,64,28,28,32] [--reps 5]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@deepspike/core';
import { tdbn, type TdbnImplementation } from '@deepspike/tdbn';
import { medianTimeMs } from '@deepspike/core/testing';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const shape = arg('shape', '4,64,28,28,32').split(',').map(Number);
const reps = Number(arg('reps', '5'));
const c = shape[shape.length - 1] as number;


const time = (f: () => tf.Tensor | tf.Tensor[]): number => medianTimeMs(f, reps, 2);

interface Row {
  backend: BackendName;
  implementation: TdbnImplementation;
  forwardMs: number;
  forwardBackwardMs: number;
}

async function run(backend: BackendName, implementation: TdbnImplementation): Promise<Row> {
  await initBackend(backend, { log: () => {} });
  const x = tf.randomNormal(shape, 0.3, 1.2, 'float32', 1);
  const g = tf.randomNormal(shape, 0, 1, 'float32', 2);
  const lambda = tf.randomNormal([c], 1, 0.2, 'float32', 3);
  const beta = tf.zeros([c]);
  const opts = { alpha: 1, vth: 0.5, implementation };
  const forwardMs = time(() => tdbn(x, { ...opts, lambda, beta }));
  // The upstream gradient g is fed directly (no loss ops), so this times tdbn's forward + backward.
  const grads = tf.grads((xx: tf.Tensor, ll: tf.Tensor, bb: tf.Tensor) => tdbn(xx, { ...opts, lambda: ll, beta: bb }));
  const forwardBackwardMs = time(() => grads([x, lambda, beta], g));
  tf.dispose([x, g, lambda, beta]);
  return { backend, implementation, forwardMs, forwardBackwardMs };
}

const rows: Row[] = [];
rows.push(await run('cpu', 'fused'));
rows.push(await run('cpu', 'composite'));
rows.push(await run('wasm', 'composite'));
const [fused, comp] = rows as [Row, Row, Row];
const result = {
  benchmark: 'tdbn-fused',
  shape,
  reps,
  statistic: 'median ms',
  rows,
  ratios: {
    cpuCompositeOverFusedForward: +(comp.forwardMs / fused.forwardMs).toFixed(2),
    cpuCompositeOverFusedForwardBackward: +(comp.forwardBackwardMs / fused.forwardBackwardMs).toFixed(2),
    wasmCompositeOverCpuFusedForwardBackward: +((rows[2] as Row).forwardBackwardMs / fused.forwardBackwardMs).toFixed(2),
  },
};
console.log(JSON.stringify(result, null, 2));
console.error(`tdbn ${JSON.stringify(shape)}, median of ${reps}`);
console.error('backend  implementation  forward ms  fwd+bwd ms');
for (const r of rows) console.error(`${r.backend.padEnd(8)} ${r.implementation.padEnd(15)} ${r.forwardMs.toFixed(1).padStart(10)} ${r.forwardBackwardMs.toFixed(1).padStart(11)}`);
