// SyncBatchNorm in the native tdBN kernels without MPI: two replicas in worker threads sum their
// statistics through shared memory; their shards together must give what one process computes on
// the whole batch (and, without the sync, must not).
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { stbpRectangle } from '@deepspike/core';
import { tdbnLifWithStats, tdbnWithStats } from '@deepspike/tdbn';
import { rand, setup, skipWithoutAddon } from './helpers.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
const T = 3;
const N = 40;
const C = 6;

type Result = Record<string, Float32Array> & { calls: number };

/** Rows [a, b) of every step of a [T, N, C] array. */
function shard(v: Float32Array, a: number, b: number): Float32Array {
  const out = new Float32Array(T * (b - a) * C);
  for (let t = 0; t < T; t++) out.set(v.subarray((t * N + a) * C, (t * N + b) * C), t * (b - a) * C);
  return out;
}

/** The shards' [T, n_r, C] arrays put back into [T, N, C]. */
function unshard(parts: Float32Array[], cuts: number[]): Float32Array {
  const out = new Float32Array(T * N * C);
  parts.forEach((p, r) => {
    const [a, b] = [cuts[r]!, cuts[r + 1]!];
    for (let t = 0; t < T; t++) out.set(p.subarray(t * (b - a) * C, (t + 1) * (b - a) * C), (t * N + a) * C);
  });
  return out;
}

function replicas(x: Float32Array, lambda: Float32Array, beta: Float32Array, g: Float32Array, cuts: number[], sync: boolean): Promise<Result[]> {
  const size = cuts.length - 1;
  const slots = new SharedArrayBuffer(8 * 4096 * size);
  const ctl = new SharedArrayBuffer(8);
  return Promise.all(
    Array.from({ length: size }, (_, rank) => {
      const [a, b] = [cuts[rank]!, cuts[rank + 1]!];
      // The worker imports its TypeScript entry through tsx's tsImport (as @deepspike/datasets' decode pool does).
      const entry = new URL('./fixtures/sync-replica.ts', import.meta.url).href;
      const w = new Worker(`import(${JSON.stringify(TSX)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`, {
        eval: true,
        execArgv: ['--conditions=deepspike-source'],
        workerData: { rank, size, sync, slots, ctl, x: shard(x, a, b), shape: [T, b - a, C], lambda, beta, g: shard(g, a, b) },
      });
      return new Promise<Result>((resolve, reject) => {
        w.once('message', (m: Result) => void w.terminate().then(() => resolve(m)));
        w.once('error', reject);
      });
    }),
  );
}

const maxRel = (a: Float32Array, b: Float32Array): number => {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
    m = Math.max(m, Math.abs(a[i] as number));
  }
  return d / Math.max(m, 1e-30);
};
const add = (xs: Float32Array[]): Float32Array => xs.reduce((s, v) => s.map((e, i) => e + (v[i] as number)), new Float32Array(xs[0]!.length));

describe('synchronised batch statistics in the native tdBN kernels (2 and 3 replicas in worker threads)', function () {
  this.timeout(120_000);
  before(async function () {
    skipWithoutAddon(this);
    await setup();
    await tf.setBackend('deepspike-native');
  });

  const x = rand([T, N, C], 3, -1, 2).dataSync() as Float32Array;
  const lambda = tf.add(1, tf.mul(0.3, rand([C], 4))).dataSync() as Float32Array;
  const beta = tf.mul(0.2, rand([C], 5)).dataSync() as Float32Array;
  const g = rand([T, N, C], 6).dataSync() as Float32Array;

  /** The whole batch in this thread, no sync. */
  function whole(): Record<string, Float32Array> {
    const [xt, lt, bt, gt] = [tf.tensor(x, [T, N, C]), tf.tensor(lambda), tf.tensor(beta), tf.tensor(g, [T, N, C])];
    const norm = { alpha: 1, vth: 0.5, epsilon: 1e-5 };
    const neuron = { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1) };
    const f = tdbnLifWithStats(xt, { ...norm, lambda: lt, beta: bt }, neuron);
    const fg = tf.grads((a: tf.Tensor, l: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tdbnLifWithStats(a, { ...norm, lambda: l, beta: b }, neuron).spikes, gt)))([xt, lt, bt]);
    const p = tdbnWithStats(xt, { ...norm, lambda: lt, beta: bt });
    const pg = tf.grads((a: tf.Tensor, l: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tdbnWithStats(a, { ...norm, lambda: l, beta: b }).y, gt)))([xt, lt, bt]);
    const v = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
    return { spikes: v(f.spikes), mean: v(f.mean), variance: v(f.variance), dx: v(fg[0]!), dLambda: v(fg[1]!), dBeta: v(fg[2]!), y: v(p.y), pMean: v(p.mean), pdx: v(pg[0]!), pdLambda: v(pg[1]!), pdBeta: v(pg[2]!) };
  }

  for (const cuts of [[0, 20, 40], [0, 13, 27, 40]]) {
    it(`${cuts.length - 1} replicas (${cuts.slice(1).map((c, i) => c - cuts[i]!).join(' + ')} samples) equal one process on ${N}`, async () => {
      const ref = whole();
      const parts = await replicas(x, lambda, beta, g, cuts, true);
      // Each kernel runs its forward twice (once alone, once under tf.grads): 2 sums per forward, 1 per backward,
      // so 2·2 + 1 for the fused and as many for the plain kernel.
      for (const p of parts) expect(p.calls).to.equal(10);
      for (const p of parts) {
        expect(maxRel(ref.mean!, p.mean!)).to.be.below(1e-6);
        expect(maxRel(ref.variance!, p.variance!)).to.be.below(1e-5);
        expect(maxRel(ref.pMean!, p.pMean!)).to.be.below(1e-6);
      }
      const spikes = unshard(parts.map((p) => p.spikes!), cuts);
      let flips = 0;
      for (let i = 0; i < spikes.length; i++) if (spikes[i] !== ref.spikes![i]) flips++;
      expect(flips).to.be.at.most(1);
      expect(maxRel(ref.dx!, unshard(parts.map((p) => p.dx!), cuts))).to.be.below(1e-4);
      // The norm's parameter gradients are the global batch's, on rank 0 alone (the others return zeros).
      for (const p of parts.slice(1)) expect([...p.dLambda!, ...p.dBeta!, ...p.pdLambda!, ...p.pdBeta!].every((v) => v === 0)).to.equal(true);
      expect(maxRel(ref.dLambda!, parts[0]!.dLambda!)).to.be.below(1e-5);
      expect(maxRel(ref.pdBeta!, parts[0]!.pdBeta!)).to.be.below(1e-5);
      expect(maxRel(ref.dLambda!, add(parts.map((p) => p.dLambda!)))).to.be.below(1e-4);
      expect(maxRel(ref.dBeta!, add(parts.map((p) => p.dBeta!)))).to.be.below(1e-4);
      expect(maxRel(ref.y!, unshard(parts.map((p) => p.y!), cuts))).to.be.below(1e-5);
      expect(maxRel(ref.pdx!, unshard(parts.map((p) => p.pdx!), cuts))).to.be.below(1e-4);
      expect(maxRel(ref.pdLambda!, add(parts.map((p) => p.pdLambda!)))).to.be.below(1e-4);
    });
  }

  it('without the sync, each replica normalises with its own statistics (the check above can fail)', async () => {
    const ref = whole();
    const parts = await replicas(x, lambda, beta, g, [0, 20, 40], false);
    expect(parts[0]!.calls).to.equal(0);
    expect(maxRel(ref.pdx!, unshard(parts.map((p) => p.pdx!), [0, 20, 40]))).to.be.above(1e-2);
    expect(maxRel(ref.mean!, parts[0]!.mean!)).to.be.above(1e-2);
  });
});
