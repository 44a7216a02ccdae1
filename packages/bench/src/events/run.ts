import * as tf from '@tensorflow/tfjs-core';
import { IF, initBackend, type BackendName } from '@deepspike/core';
import { median } from '@deepspike/core/testing';
import { prepareIntegerSim, simulateFloat, type EventKernels, type HardwareGraph, type ConvNode, type LinearNode, type PopulationNode } from '@deepspike/neuromorphic';
import { messages } from '../messages.js';
import { EVENT_NET, eventBenchGraph, spikeInputs } from './network.js';

/** Options of {@link runEventBench}. */
export interface EventBenchOptions {
  /** Input firing rates (default 0.01, 0.02, 0.05, 0.1, 0.2). */
  readonly rates?: readonly number[];
  /** Time steps per sample (default 4, the paper's CIFAR T). */
  readonly steps?: number;
  /** Samples per simulator measurement (default 4; the median per-sample time counts). */
  readonly samples?: number;
  /** Batch of the batched dense float forward (default 64). */
  readonly batch?: number;
  readonly backend?: BackendName;
  readonly log?: (line: string) => void;
}

/** One firing rate's figures, per sample of T steps. */
export interface EventBenchRow {
  readonly inputRate: number;
  /** Measured spikes / (neurons x T) of the hidden population. */
  readonly hiddenRate: number;
  /** Synaptic additions the event simulator did per sample (mean). */
  readonly synapticOps: number;
  /** Dense multiply-adds of the same layers per sample. */
  readonly denseMacs: number;
  /** The integer simulator delivering events (spikes to their synapses only), ms per sample. */
  readonly eventIntMs: number;
  /** The same simulation in C++ (backend-native's `nativeEventKernels()` compile the whole graph), one sample at a time on one thread, or null when the addon is absent. */
  readonly eventIntNativeMs: number | null;
  /** The C++ simulation of `batch` samples in one call (samples spread over the pool's threads, as the batched dense forward uses them), ms per sample; null without the addon. */
  readonly eventIntNativeBatchMs: number | null;
  /** The integer simulator computing every layer in full (its bit-exact reference), ms per sample. */
  readonly denseIntMs: number;
  /** The float simulator (dense, float64), ms per sample. */
  readonly floatSimMs: number;
  /** Dense float inference on the tf.js backend, one sample at a time, ms per sample. */
  readonly denseFloatB1Ms: number;
  /** Dense float inference on the tf.js backend in batches, ms per sample. */
  readonly denseFloatBatchMs: number;
  /** eventIntMs / denseFloatB1Ms and / denseFloatBatchMs (< 1: event-driven is faster). */
  readonly eventVsDenseB1: number;
  readonly eventVsDenseBatch: number;
  /** eventIntNativeMs / denseFloatB1Ms (one sample at a time both) and eventIntNativeBatchMs / denseFloatBatchMs (batched both), or null without the addon. */
  readonly nativeVsDenseB1: number | null;
  readonly nativeVsDenseBatch: number | null;
  /** Whether the event (both kernels) and dense integer simulations and the tf.js forward gave the same output spike counts. */
  readonly agree: boolean;
}

/** What `deepspike bench events` prints. */
export interface EventBenchResult {
  readonly backend: string;
  readonly network: string;
  readonly steps: number;
  readonly batch: number;
  readonly rows: EventBenchRow[];
}

const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** backend-native's event kernels (an optional dependency of bench), or null when the addon is not built. */
async function nativeKernels(): Promise<EventKernels | null> {
  try {
    const mod = await import('@deepspike/backend-native');
    return mod.nativeAvailable() ? mod.nativeEventKernels() : null;
  } catch {
    return null;
  }
}

/** Median time of run(0..samples-1), after one untimed run (JIT warm-up). */
function timeMedian(samples: number, run: (i: number) => void): number {
  run(0);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    run(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** The graph's network as tf.js ops on [T, N, ...]: conv, IF, sum pool, flatten, matmul, IF; output spike counts [N, classes]. */
function denseForward(graph: HardwareGraph): (x: tf.Tensor) => tf.Tensor {
  const node = <K extends string>(name: string) => graph.nodes.find((n) => n.name === name) as Extract<typeof graph.nodes[number], { kind: K }>;
  const conv = node('conv') as ConvNode;
  const fc = node('fc') as LinearNode;
  const vth = Number((node('hidden') as PopulationNode).threshold);
  const w = tf.tensor4d(conv.weight, [conv.kernel[0], conv.kernel[1], conv.inChannels, conv.outChannels]);
  const wf = tf.tensor2d(fc.weight, [fc.inFeatures, fc.outFeatures]);
  const hidden = new IF('hidden', { vth });
  const out = new IF('out', { vth: Number((node('out') as PopulationNode).threshold) });
  const { h, w: wd, cin, cout } = EVENT_NET;
  return (x) => tf.tidy(() => {
    const [t, n] = x.shape as [number, number];
    const c = tf.reshape(tf.conv2d(tf.reshape(x, [t * n, h, wd, cin]) as tf.Tensor4D, w, 1, 'same'), [t, n, h, wd, cout]);
    const s = hidden.forward(c);
    const p = tf.mul(tf.avgPool(tf.reshape(s, [t * n, h, wd, cout]) as tf.Tensor4D, 2, 2, 'valid'), 4);
    const y = tf.reshape(tf.matMul(tf.reshape(p, [t * n, fc.inFeatures]), wf), [t, n, fc.outFeatures]);
    return tf.sum(out.forward(y), 0);
  });
}

function checkRate(r: number): number {
  if (!(r > 0 && r < 1)) throw new Error(messages.badRate(r));
  return r;
}

/** Output spike counts per sample and the median ms per sample of one way of running the network. */
interface Timed {
  readonly ms: number;
  readonly counts: number[][];
}

/** The integer simulator (prepared once: a chip loads its network, then samples stream) over the samples. */
function timeIntegerSim(graph: HardwareGraph, inputs: Float32Array[][], samples: number, steps: number, mode: 'event' | 'dense', kernels?: EventKernels) {
  const sim = prepareIntegerSim(graph, { mode, steps, ...(kernels ? { kernels } : {}) });
  const counts: number[][] = [];
  const ops: number[] = [];
  const hidden: number[] = [];
  const ms = timeMedian(samples, (i) => {
    const r = sim.run({ input: inputs[i] as Float32Array[] });
    counts[i] = [...(r.outputSum.output ?? [])];
    ops[i] = r.synapticOps;
    hidden[i] = r.spikeCounts.hidden ?? 0;
  });
  return { ms, counts, ops, hidden };
}

/** Calls per batched timing (median): one warm-up, then this many; 3 left the tf.js batch's median varying 2x between rates. */
const BATCH_REPS = 9;

/** The C++ simulation of all `inputs` in one call (samples over the threads), median of BATCH_REPS, ms per sample. */
function timeNativeBatch(graph: HardwareGraph, inputs: Float32Array[][], steps: number, kernels: EventKernels): Timed {
  const sim = prepareIntegerSim(graph, { mode: 'event', steps, kernels });
  const samples = inputs.map((input) => ({ input }));
  let counts: number[][] = [];
  const ms = timeMedian(BATCH_REPS, () => {
    counts = sim.runBatch(samples).map((r) => [...(r.outputSum.output ?? [])]);
  }) / inputs.length;
  return { ms, counts };
}

/** The network as tf.js ops, one sample at a time and in one batch of `batch`. */
function timeDenseFloat(graph: HardwareGraph, inputs: Float32Array[][], samples: number, steps: number, batch: number): { b1: Timed; batchMs: number } {
  const { h, w, cin } = EVENT_NET;
  const forward = denseForward(graph);
  // [T, N, H, W, C] from samples [i0, i0 + n).
  const stack = (i0: number, n: number) => {
    const data = new Float32Array(steps * n * h * w * cin);
    const per = h * w * cin;
    for (let t = 0; t < steps; t++) for (let j = 0; j < n; j++) data.set((inputs[i0 + j] as Float32Array[])[t] as Float32Array, (t * n + j) * per);
    return tf.tensor5d(data, [steps, n, h, w, cin]);
  };
  const counts: number[][] = [];
  const b1 = Array.from({ length: samples }, (_, i) => stack(i, 1));
  const ms = timeMedian(samples, (i) => {
    const y = forward(b1[i] as tf.Tensor);
    counts[i] = [...(y.dataSync() as Float32Array)];
    y.dispose();
  });
  const xb = stack(0, batch);
  const batchMs = timeMedian(BATCH_REPS, () => {
    const y = forward(xb);
    y.dataSync();
    y.dispose();
  }) / batch;
  tf.dispose([...b1, xb]);
  return { b1: { ms, counts }, batchMs };
}

const same = (a: number[][], b: number[][]) => a.length === b.length && a.every((r, i) => r.length === b[i]?.length && r.every((v, j) => v === b[i]?.[j]));

/** One firing rate's row: every way of running the network on the same seeded samples. */
function measureRate(rate: number, steps: number, samples: number, batch: number, native: EventKernels | null): EventBenchRow {
  const { h, w, cin, cout, classes, kernel } = EVENT_NET;
  const graph = eventBenchGraph(rate);
  const inputs = Array.from({ length: Math.max(samples, batch) }, (_, i) => spikeInputs(steps, rate, 1000 + i));
  const ev = timeIntegerSim(graph, inputs, samples, steps, 'event');
  const nat = native === null ? null : timeIntegerSim(graph, inputs, samples, steps, 'event', native);
  const natBatch = native === null ? null : timeNativeBatch(graph, inputs.slice(0, batch), steps, native);
  const dense = timeIntegerSim(graph, inputs, samples, steps, 'dense');
  const floatSimMs = timeMedian(samples, (i) => void simulateFloat(graph, { input: inputs[i] as Float32Array[] }, { steps }));
  const tfjs = timeDenseFloat(graph, inputs, samples, steps, batch);
  const nativeMs = nat === null ? null : nat.ms;
  return {
    inputRate: rate,
    hiddenRate: round(mean(ev.hidden) / (h * w * cout * steps), 4),
    synapticOps: Math.round(mean(ev.ops)),
    denseMacs: steps * (h * w * cout * kernel * kernel * cin + (h / 2) * (w / 2) * cout * classes),
    eventIntMs: round(ev.ms),
    eventIntNativeMs: nativeMs === null ? null : round(nativeMs),
    eventIntNativeBatchMs: natBatch === null ? null : round(natBatch.ms),
    denseIntMs: round(dense.ms),
    floatSimMs: round(floatSimMs),
    denseFloatB1Ms: round(tfjs.b1.ms),
    denseFloatBatchMs: round(tfjs.batchMs),
    eventVsDenseB1: round(ev.ms / tfjs.b1.ms),
    eventVsDenseBatch: round(ev.ms / tfjs.batchMs),
    nativeVsDenseB1: nativeMs === null ? null : round(nativeMs / tfjs.b1.ms),
    nativeVsDenseBatch: natBatch === null ? null : round(natBatch.ms / tfjs.batchMs),
    agree: same(ev.counts, dense.counts) && same(ev.counts, tfjs.b1.counts) && (nat === null || same(ev.counts, nat.counts)) && (natBatch === null || same(ev.counts, natBatch.counts.slice(0, samples))),
  };
}

/**
 * Event-driven integer inference against dense float inference on the same network (the second half
 * of the mnist workload, integer weights) at controlled input firing rates: per sample of T steps,
 * the integer simulator in `event` mode (TypeScript and native delivery kernels) and `dense` mode, the
 * float simulator, and the network as tf.js ops on the active backend at batch 1 and batched. All
 * compute the same output spikes (checked).
 */
export async function runEventBench(opts: EventBenchOptions = {}): Promise<EventBenchResult> {
  const rates = (opts.rates ?? [0.01, 0.02, 0.05, 0.1, 0.2]).map(checkRate);
  const steps = opts.steps ?? 4;
  const samples = opts.samples ?? 4;
  const batch = opts.batch ?? 64;
  for (const [flag, v] of [['--steps', steps], ['--samples', samples], ['--batch', batch]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(messages.badCount(flag, v, 1));
  }
  const log = opts.log ?? (() => {});
  const report = await initBackend(opts.backend, { log: () => {} });
  log(report.line);
  const native = await nativeKernels();
  const rows: EventBenchRow[] = [];
  for (const rate of rates) {
    const row = measureRate(rate, steps, samples, batch, native);
    log(`  input ${(rate * 100).toFixed(0)} %: hidden ${(row.hiddenRate * 100).toFixed(1)} %, event ${row.eventIntMs} ms (native ${row.eventIntNativeMs ?? '-'} ms, native b${batch} ${row.eventIntNativeBatchMs ?? '-'} ms), dense int ${row.denseIntMs} ms, tf.js b1 ${row.denseFloatB1Ms} ms, b${batch} ${row.denseFloatBatchMs} ms per sample`);
    rows.push(row);
  }
  const { h, w, cin, cout, classes } = EVENT_NET;
  return { backend: report.backend, network: `input [${h},${w},${cin}] spikes -> conv 3x3 ${cin}->${cout} -> IF -> sum pool 2 -> fc ${(h / 2) * (w / 2) * cout}->${classes} -> IF (integer weights)`, steps, batch, rows };
}

const opt = (v: number | null, d: number, unit = ''): string => (v === null ? '-' : `${v.toFixed(d)}${unit}`);

/** The event benchmark as a Markdown table. */
export function eventBenchTable(r: EventBenchResult): string {
  return [
    `${r.network}; T = ${r.steps}; ${r.backend}; ms per sample`,
    '',
    `| input firing | hidden firing | synaptic ops | dense MACs | event int (js) | event int (native) | event int (native, b${r.batch}) | dense int | float sim | tf.js b1 | tf.js b${r.batch} | event js / tf.js b1 | event js / tf.js b${r.batch} | event native / tf.js b1 | event native b${r.batch} / tf.js b${r.batch} | same spikes |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...r.rows.map((x) => `| ${(x.inputRate * 100).toFixed(0)} % | ${(x.hiddenRate * 100).toFixed(1)} % | ${x.synapticOps} | ${x.denseMacs} | ${x.eventIntMs.toFixed(3)} | ${opt(x.eventIntNativeMs, 3)} | ${opt(x.eventIntNativeBatchMs, 3)} | ${x.denseIntMs.toFixed(2)} | ${x.floatSimMs.toFixed(2)} | ${x.denseFloatB1Ms.toFixed(3)} | ${x.denseFloatBatchMs.toFixed(3)} | ${x.eventVsDenseB1.toFixed(2)}x | ${x.eventVsDenseBatch.toFixed(2)}x | ${opt(x.nativeVsDenseB1, 2, 'x')} | ${opt(x.nativeVsDenseBatch, 2, 'x')} | ${x.agree ? 'yes' : 'NO'} |`),
  ].join('\n');
}
