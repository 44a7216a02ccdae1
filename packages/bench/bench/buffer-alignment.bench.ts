/**
 * Benchmark (not a test): the training step of both workloads with the native backend's tensor
 * buffers 64-byte aligned (the default) against plain `new Float32Array` buffers (16 bytes into a
 * cache line), side by side in one process: rounds alternate the two settings so drift on a shared
 * machine hits both alike. Each setting drops the pool's free arrays, warms up, then times --steps
 * steps (median). Prints one JSON object on stdout and a table on stderr.
 *
 *   cd packages/bench && node --conditions=deepspike-source --import tsx bench/buffer-alignment.bench.ts [--rounds 3] [--steps 10] [--only mnist]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { cacheLineAligner, nativeInfo, type NativeBackend } from '@deepspike/backend-native';
import { benchStep, medianStepMs } from '../src/training.js';
import { buildNet, WORKLOADS, type WorkloadName } from '../src/workloads.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const rounds = Number(arg('rounds', '3'));
const steps = Number(arg('steps', '10'));
const warmup = Number(arg('warmup', '3'));
const only = arg('only', '');

const report = await initBackend('deepspike-native', { log: () => {} });
if (report.backend !== 'deepspike-native') throw new Error(`the native backend did not load: ${report.line}`);
const pool = (tf.backend() as NativeBackend).pool;
const aligned = cacheLineAligner();

interface Row {
  workload: WorkloadName;
  round: number;
  alignedMs: number;
  plainMs: number;
  ratio: number;
}
const rows: Row[] = [];
for (const workload of WORKLOADS.filter((w) => !only || w === only)) {
  const net = buildNet(workload);
  const step = benchStep(net, net.batch);
  for (let r = 1; r <= rounds; r++) {
    // Alternate which setting goes first, so neither always runs on the warmer machine.
    const order = r % 2 === 1 ? [true, false] : [false, true];
    const ms: Record<string, number> = {};
    for (const on of order) {
      pool.setAligner(on ? aligned : null);
      ms[String(on)] = medianStepMs(net, step, warmup, steps);
    }
    const row = { workload, round: r, alignedMs: round(ms.true!), plainMs: round(ms.false!), ratio: round(ms.true! / ms.false!, 3) };
    rows.push(row);
    console.error(`${workload} round ${r}: aligned ${row.alignedMs} ms, plain ${row.plainMs} ms, ratio ${row.ratio}`);
  }
  tf.dispose([step.x, step.labels, step.onehot, ...net.trainable, ...net.buffers]);
  step.opt.dispose();
}
pool.setAligner(aligned);
const info = nativeInfo();
console.log(JSON.stringify({ native: { simd: info.simd, threads: info.threads }, steps, warmup, rows }));

function round(v: number, d = 1): number {
  return Math.round(v * 10 ** d) / 10 ** d;
}
