import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@deepspike/core';
import { buildNet, FIRST_LAYERS, REF, WORKLOADS, type BenchNet, type FirstLayer, type WorkloadName } from './workloads.js';
import { messages } from './messages.js';
import { median } from '@deepspike/core/testing';

/** Options of {@link runTrainingBench}. */
export interface TrainingBenchOptions {
  readonly workload: WorkloadName;
  /** Backend to force; default: what initBackend chooses. */
  readonly backend?: BackendName;
  /** Timed steps (default 20). */
  readonly steps?: number;
  /** Untimed warm-up steps first (default 3). */
  readonly warmup?: number;
  /** Override the batch (default 64 mnist, 32 cifar-resnet). */
  readonly batch?: number;
  /** How the first conv runs on the direct encoding (default once; see FirstLayer). */
  readonly firstLayer?: FirstLayer;
  /** Progress lines (default silent). */
  readonly log?: (line: string) => void;
}

/** One benchmark result (the fields the issue asks for, plus detail). */
export interface TrainingBenchResult {
  readonly workload: WorkloadName;
  readonly backend: string;
  /** Median wall time of one training step, ms. */
  readonly medianMs: number;
  /** batch / median step time. */
  readonly samplesPerSec: number;
  /** Peak resident set size of this process, MiB. */
  readonly peakRssMb: number;
  readonly batch: number;
  readonly steps: number;
  readonly warmup: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly finalLoss: number;
  /** How the first conv ran on the direct encoding. */
  readonly firstLayer: FirstLayer;
  /** The native backend's SIMD level and threads when it ran. */
  readonly native?: { simd: string; threads: number };
}


const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** What one benchmark training step needs: fixed inputs and labels, the optimiser, the loss. */
export interface BenchStep {
  readonly x: tf.Tensor;
  readonly labels: tf.Tensor;
  readonly onehot: tf.Tensor;
  readonly opt: tf.MomentumOptimizer;
  /** Cross-entropy of the net's rate logits on (x, labels). */
  readonly loss: () => tf.Scalar;
}

/**
 * The reference script's step: random uniform images and labels (seeds 0 and 1, fixed over the run),
 * SGD lr 0.1 momentum 0.9, cross-entropy on the spike rate.
 */
export function benchStep(net: BenchNet, batch: number): BenchStep {
  const x = tf.randomUniform([batch, ...net.image], 0, 1, 'float32', 0);
  const labels = tf.randomUniform([batch], 0, 10, 'int32', 1);
  const onehot = tf.oneHot(labels, 10);
  const opt = tf.train.momentum(0.1, 0.9);
  return { x, labels, onehot, opt, loss: () => tf.losses.softmaxCrossEntropy(onehot, net.forward(x)) as tf.Scalar };
}

/** Runs `warmup + steps` training steps of `step` and returns the median wall time of the timed ones, ms. */
export function medianStepMs(net: BenchNet, step: BenchStep, warmup: number, steps: number): number {
  const times: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const cost = step.opt.minimize(step.loss, true, net.trainable);
    cost?.dataSync();
    cost?.dispose();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Trains a workload of `torch_snn_bench.py` for `warmup + steps` steps (SGD lr 0.1 momentum 0.9,
 * cross-entropy on the spike rate, random uniform images and labels fixed over the run) and times
 * each step: zero-grad + input repeat over T + forward + loss + backward + optimiser step.
 */
export async function runTrainingBench(opts: TrainingBenchOptions): Promise<TrainingBenchResult> {
  if (!(WORKLOADS as readonly string[]).includes(opts.workload)) throw new Error(messages.badWorkload(opts.workload));
  const steps = opts.steps ?? 20;
  const warmup = opts.warmup ?? 3;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(messages.badCount('--steps', steps, 1));
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(messages.badCount('--warmup', warmup, 0));
  const log = opts.log ?? (() => {});
  const report = await initBackend(opts.backend, { log: () => {} });
  log(report.line);
  const firstLayer = opts.firstLayer ?? 'once';
  if (!FIRST_LAYERS.includes(firstLayer)) throw new Error(messages.badFirstLayer(firstLayer));
  const net = buildNet(opts.workload, firstLayer);
  const batch = opts.batch ?? net.batch;
  const { x, labels, onehot, opt, loss: lossOf } = benchStep(net, batch);
  const times: number[] = [];
  let loss = NaN;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const cost = opt.minimize(lossOf, true, net.trainable);
    loss = (cost as tf.Scalar).dataSync()[0] as number;
    cost?.dispose();
    const dt = performance.now() - t0;
    if (i >= warmup) times.push(dt);
    log(`  step ${i}${i < warmup ? ' (warm-up)' : ''}: ${dt.toFixed(1)} ms, loss ${loss.toFixed(4)}`);
  }
  const med = median(times);
  let native: { simd: string; threads: number } | undefined;
  if (report.backend === 'deepspike-native') {
    // an optional dependency: present whenever the deepspike-native backend is the one running
    const { nativeInfo } = await import('@deepspike/backend-native');
    const info = nativeInfo();
    native = { simd: info.simd, threads: info.threads };
  }
  tf.dispose([x, labels, onehot, ...net.trainable, ...net.buffers]);
  opt.dispose();
  return {
    workload: opts.workload,
    backend: report.backend,
    medianMs: round(med),
    samplesPerSec: round((batch / med) * 1000),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    batch,
    steps,
    warmup,
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times)),
    finalLoss: loss,
    firstLayer,
    ...(native ? { native } : {}),
  };
}
