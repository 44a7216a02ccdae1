/**
 * Benchmark (not a test): the STBP `lif` forward and forward+backward with the fused cpu kernels
 * (`DeepSpikeLIF` / `DeepSpikeLIFGrad`: one pass over T, one reverse pass) against the composite
 * tf-op version, side by side in one run, on cpu and on wasm (where the same JS loops run on views of
 * the wasm heap).
 * Prints one JSON object on stdout and a table on stderr.
 *
 *   cd packages/core && node --conditions=deepspike-source --import tsx bench/lif-fused.bench.ts [--shape 4,64,28,28,32] [--reps 3]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, lif, stbpRectangle, type BackendName } from '@deepspike/core';
import { medianTimeMs } from '@deepspike/core/testing';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const shape = arg('shape', '4,64,28,28,32').split(',').map(Number);
const reps = Number(arg('reps', '3'));
type Impl = 'fused' | 'composite';


const time = (f: () => tf.Tensor | tf.Tensor[]): number => medianTimeMs(f, reps, 1);

interface Row {
  backend: BackendName;
  implementation: Impl;
  forwardMs: number;
  forwardBackwardMs: number;
}

async function run(backend: BackendName, implementation: Impl): Promise<Row> {
  await initBackend(backend, { log: () => {} });
  const x = tf.randomNormal(shape, 0.3, 0.6, 'float32', 1);
  const g = tf.randomNormal(shape, 0, 1, 'float32', 2);
  const opts = { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1), implementation };
  const forwardMs = time(() => {
    const { spikes, u } = lif(x, opts);
    return [spikes, u];
  });
  // The upstream gradient g is fed directly, so this times lif's forward + backward only.
  const grads = tf.grads((xx: tf.Tensor) => lif(xx, opts).spikes);
  const forwardBackwardMs = time(() => grads([x], g));
  tf.dispose([x, g]);
  return { backend, implementation, forwardMs: +forwardMs.toFixed(1), forwardBackwardMs: +forwardBackwardMs.toFixed(1) };
}

const rows: Row[] = [await run('cpu', 'fused'), await run('cpu', 'composite'), await run('wasm', 'fused'), await run('wasm', 'composite')];
const [fused, comp, wasmFused, wasmComp] = rows as [Row, Row, Row, Row];
const result = {
  benchmark: 'lif-fused',
  shape,
  reps,
  statistic: 'median ms',
  rows,
  ratios: {
    cpuCompositeOverFusedForward: +(comp.forwardMs / fused.forwardMs).toFixed(2),
    cpuCompositeOverFusedForwardBackward: +(comp.forwardBackwardMs / fused.forwardBackwardMs).toFixed(2),
    wasmCompositeOverFusedForward: +(wasmComp.forwardMs / wasmFused.forwardMs).toFixed(2),
    wasmCompositeOverFusedForwardBackward: +(wasmComp.forwardBackwardMs / wasmFused.forwardBackwardMs).toFixed(2),
  },
};
console.log(JSON.stringify(result, null, 2));
console.error(`lif ${JSON.stringify(shape)}, median of ${reps}`);
console.error('backend  implementation  forward ms  fwd+bwd ms');
for (const r of rows) console.error(`${r.backend.padEnd(8)} ${r.implementation.padEnd(15)} ${String(r.forwardMs).padStart(10)} ${String(r.forwardBackwardMs).padStart(11)}`);
