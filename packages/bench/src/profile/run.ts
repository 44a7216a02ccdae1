import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@deepspike/core';
import { messages } from '../messages.js';
import { benchStep, medianStepMs } from '../training.js';
import { buildNet, FIRST_LAYERS, WORKLOADS, type FirstLayer, type WorkloadName } from '../workloads.js';
import { kernelBytes, kernelFlops, OP_CLASSES, opClass, type OpClass } from './flops.js';
import { nativeProfilingHooks, type ConvPath } from './native-hooks.js';

/** Options of {@link runProfile}. */
export interface ProfileOptions {
  readonly workload: WorkloadName;
  readonly backend?: BackendName;
  /** Untimed warm-up steps (default 3). */
  readonly warmup?: number;
  /** Timed steps without the profiler, for the step time (default 10). */
  readonly steps?: number;
  /** Steps run under `tf.profile`, averaged per kernel (default 3). */
  readonly profiled?: number;
  /** Override the batch (default 64 mnist, 32 cifar-resnet). */
  readonly batch?: number;
  /** How the first conv runs on the direct encoding (default once; see FirstLayer). */
  readonly firstLayer?: FirstLayer;
  readonly log?: (line: string) => void;
}

/** One kernel call of a step (mean over the profiled steps). */
export interface KernelCall {
  readonly index: number;
  readonly kernel: string;
  readonly opClass: OpClass;
  readonly inputShapes: number[][];
  readonly outputShape: number[];
  readonly ms: number;
  /** Dense multiply-add flops / 1e9, null where not counted. */
  readonly gflop: number | null;
  readonly gflops: number | null;
  /** gflops / the measured FMA peak of all threads (null without a peak). */
  readonly peakFraction: number | null;
  /** The least memory traffic (inputs and output once), bytes / 1e6; null where not counted. */
  readonly mb: number | null;
  /**
   * The roofline ceiling of this call: min(FMA peak, memory bandwidth x flops per byte), GF/s — what
   * the machine allows at this arithmetic intensity (null without both measurements).
   */
  readonly rooflineGflops: number | null;
  /** gflops / rooflineGflops. */
  readonly rooflineFraction: number | null;
  /** Conv forward, filter and input gradient on the native backend: the path taken (spikes, winograd or dense) and the input's sampled density. */
  readonly path?: 'spikes' | 'dense' | 'winograd';
  readonly inputDensity?: number | null;
}

/** One class of kernels (a row of the table), per step. */
export interface ClassRow {
  readonly opClass: OpClass | 'outside kernels';
  readonly calls: number;
  readonly ms: number;
  readonly share: number;
  readonly gflop: number | null;
  readonly gflops: number | null;
  readonly peakFraction: number | null;
}

/** What `deepspike bench profile` prints. */
export interface ProfileResult {
  readonly workload: WorkloadName;
  readonly backend: string;
  readonly batch: number;
  readonly native: { simd: string; threads: number } | null;
  /** The measured fp32 FMA peak (native backend only). */
  readonly fmaPeak: { simd: string; threads: number; gflops: number; gflopsPerThread: number } | null;
  /** The measured memory bandwidth (STREAM triad, native backend only). */
  readonly memoryBandwidth: { threads: number; gbps: number } | null;
  /** Median step time without the profiler, ms. */
  readonly stepMs: number;
  /** Mean step time under the profiler (it adds work outside the kernels), ms. */
  readonly profiledStepMs: number;
  /** Sum of the kernels' times per step, ms. */
  readonly kernelMs: number;
  /** stepMs - kernelMs: JS, tf.js dispatch, allocation and garbage collection, ms (>= 0). */
  readonly outsideMs: number;
  /** profiledStepMs - kernelMs: the same from the profiled steps themselves (includes the profiler's own work). */
  readonly outsideProfiledMs: number;
  readonly classes: ClassRow[];
  /** Every conv and matmul call, in execution order (forward, backward, optimiser). */
  readonly layers: KernelCall[];
  readonly warmup: number;
  readonly steps: number;
  readonly profiled: number;
}

interface RawKernel {
  name: string;
  inputShapes: number[][];
  outputShapes: number[][];
  kernelTimeMs: number;
  phase: 'pass' | 'optimiser';
}

const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;

function count(flag: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(messages.badCount(flag, v, min));
  return v;
}

type ProfileInfo = Awaited<ReturnType<typeof tf.profile>>;

/** Kernels of `tf.profile` with their shapes and times. */
function kernelsOf(info: ProfileInfo, phase: RawKernel['phase']): RawKernel[] {
  return info.kernels.map((k) => ({
    name: k.name,
    inputShapes: (k.inputShapes ?? []).map((s) => [...(s ?? [])]),
    outputShapes: (k.outputShapes ?? []).map((s) => [...(s ?? [])]),
    kernelTimeMs: Number(k.kernelTimeMs),
    phase,
  }));
}

/** The mean over the profiled steps of each call's time (every step runs the same kernel sequence). */
function meanSteps(steps: RawKernel[][]): RawKernel[] {
  const first = steps[0] ?? [];
  const same = steps.every((s) => s.length === first.length && s.every((k, i) => k.name === first[i]?.name));
  if (!same) return steps[steps.length - 1] ?? [];
  return first.map((k, i) => ({ ...k, kernelTimeMs: steps.reduce((a, s) => a + (s[i]?.kernelTimeMs ?? 0), 0) / steps.length }));
}

/** Pairs the conv forward / filter-gradient calls with the backend's path records, when they line up. */
const CONV_KERNEL: Readonly<Record<ConvPath['kind'], string>> = { conv: 'Conv2D', convFilter: 'Conv2DBackpropFilter', convInput: 'Conv2DBackpropInput' };

function convPaths(kernels: RawKernel[], trace: ConvPath[]): Map<number, ConvPath> {
  const at = new Map<number, ConvPath>();
  const names = new Set(Object.values(CONV_KERNEL));
  const convs = kernels.flatMap((k, i) => (names.has(k.name) ? [i] : []));
  if (convs.length !== trace.length) return at;
  for (const [j, i] of convs.entries()) {
    const r = trace[j] as ConvPath;
    if (CONV_KERNEL[r.kind] !== kernels[i]?.name) return new Map();
    at.set(i, r);
  }
  return at;
}

/**
 * Profiles one workload's training step kernel by kernel: warm-up, a median step time without the
 * profiler, then `profiled` steps under `tf.profile` (the forward and backward pass, then the
 * optimiser, each profiled on its own so the optimiser's kernels are classed by phase). Every conv
 * and matmul gets its dense flop count, GF/s and fraction of the FMA peak measured on this machine;
 * on the native backend each conv also shows the path it took (spikes, winograd or the dense GEMM)
 * and its input's density. The step time minus the kernels' sum is the time outside kernels.
 */
export async function runProfile(opts: ProfileOptions): Promise<ProfileResult> {
  if (!(WORKLOADS as readonly string[]).includes(opts.workload)) throw new Error(messages.badWorkload(opts.workload));
  const warmup = count('--warmup', opts.warmup ?? 3, 0);
  const steps = count('--steps', opts.steps ?? 10, 1);
  const profiled = count('--profiled', opts.profiled ?? 3, 1);
  const log = opts.log ?? (() => {});
  const report = await initBackend(opts.backend, { log: () => {} });
  log(report.line);
  const hooks = report.backend === 'deepspike-native' ? await nativeProfilingHooks() : null;
  const firstLayer = opts.firstLayer ?? 'once';
  if (!FIRST_LAYERS.includes(firstLayer)) throw new Error(messages.badFirstLayer(firstLayer));
  const net = buildNet(opts.workload, firstLayer);
  const batch = count('--batch', opts.batch ?? net.batch, 1);
  const step = benchStep(net, batch);
  try {
    const stepMs = medianStepMs(net, step, warmup, steps);
    log(`  step ${stepMs.toFixed(1)} ms (median of ${steps}); profiling ${profiled} steps`);

    const perStep: RawKernel[][] = [];
    const wall: number[] = [];
    let trace: ConvPath[] = [];
    for (let i = 0; i < profiled; i++) {
      trace = [];
      hooks?.traceConvPaths(trace);
      const t0 = performance.now();
      let grads: Record<string, tf.Tensor> = {};
      let value: tf.Scalar | undefined;
      // tf.profile returns the engine's one profile object, reset by the next call: copy the kernels out at once.
      const pass = kernelsOf(
        await tf.profile(() => {
          const r = tf.variableGrads(step.loss, net.trainable);
          grads = r.grads;
          value = r.value;
          return [r.value, ...Object.values(r.grads)];
        }),
        'pass',
      );
      hooks?.traceConvPaths(null);
      const update = kernelsOf(await tf.profile(() => step.opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })))), 'optimiser');
      value?.dataSync();
      wall.push(performance.now() - t0);
      tf.dispose([value as tf.Scalar, ...Object.values(grads)]);
      perStep.push([...pass, ...update]);
    }
    const kernels = meanSteps(perStep);
    const paths = convPaths(kernels, trace);
    const fmaPeak = hooks ? hooks.measureFmaPeak(0.5) : null;
    const memoryBandwidth = hooks ? hooks.measureMemoryBandwidth(0.5) : null;
    const native = hooks ? (({ simd, threads }) => ({ simd, threads }))(hooks.nativeInfo()) : null;
    return summarise(kernels, paths, { workload: opts.workload, backend: report.backend, batch, native, fmaPeak, memoryBandwidth, stepMs, profiledStepMs: wall.reduce((a, b) => a + b, 0) / wall.length, warmup, steps, profiled });
  } finally {
    tf.dispose([step.x, step.labels, step.onehot, ...net.trainable, ...net.buffers]);
    step.opt.dispose();
  }
}

type Header = Omit<ProfileResult, 'kernelMs' | 'outsideMs' | 'outsideProfiledMs' | 'classes' | 'layers'>;

function summarise(kernels: RawKernel[], paths: Map<number, ConvPath>, head: Header): ProfileResult {
  const peak = head.fmaPeak?.gflops ?? null;
  const rate = (gflop: number | null, ms: number) => (gflop === null || ms <= 0 ? null : gflop / (ms / 1000));
  const frac = (gflops: number | null) => (gflops === null || peak === null ? null : gflops / peak);
  const calls: KernelCall[] = kernels.map((k, index) => {
    const flops = kernelFlops(k.name, k.inputShapes, k.outputShapes);
    const gflop = flops === null ? null : flops / 1e9;
    const gflops = rate(gflop, k.kernelTimeMs);
    const bytes = kernelBytes(k.name, k.inputShapes, k.outputShapes);
    const bw = head.memoryBandwidth?.gbps ?? null;
    const roof = flops === null || bytes === null || peak === null || bw === null ? null : Math.min(peak, (bw * flops) / bytes);
    const p = paths.get(index);
    return {
      index, kernel: k.name, opClass: k.phase === 'optimiser' ? 'optimiser' : opClass(k.name),
      inputShapes: k.inputShapes, outputShape: k.outputShapes[0] ?? [], ms: round(k.kernelTimeMs),
      gflop: gflop === null ? null : round(gflop, 4), gflops: gflops === null ? null : round(gflops, 1), peakFraction: frac(gflops) === null ? null : round(frac(gflops) as number),
      mb: bytes === null ? null : round(bytes / 1e6, 2),
      rooflineGflops: roof === null ? null : round(roof, 1),
      rooflineFraction: roof === null || gflops === null ? null : round(gflops / roof),
      ...(p ? { path: p.path, inputDensity: p.density === null ? null : round(p.density, 4) } : {}),
    };
  });
  const kernelMs = kernels.reduce((a, k) => a + k.kernelTimeMs, 0);
  const outsideMs = Math.max(0, head.stepMs - kernelMs);
  const total = Math.max(head.stepMs, kernelMs);
  const classes: ClassRow[] = OP_CLASSES.flatMap((c) => {
    const own = calls.filter((k) => k.opClass === c);
    if (own.length === 0) return [];
    const ms = own.reduce((a, k) => a + k.ms, 0);
    const counted = own.every((k) => k.gflop !== null);
    const gflop = counted ? own.reduce((a, k) => a + (k.gflop as number), 0) : null;
    const gflops = rate(gflop, ms);
    return [{ opClass: c, calls: own.length, ms: round(ms), share: round(ms / total), gflop: gflop === null ? null : round(gflop, 4), gflops: gflops === null ? null : round(gflops, 1), peakFraction: frac(gflops) === null ? null : round(frac(gflops) as number) }];
  });
  classes.push({ opClass: 'outside kernels', calls: 0, ms: round(outsideMs), share: round(outsideMs / total), gflop: null, gflops: null, peakFraction: null });
  return {
    ...head,
    stepMs: round(head.stepMs),
    profiledStepMs: round(head.profiledStepMs),
    kernelMs: round(kernelMs),
    outsideMs: round(outsideMs),
    outsideProfiledMs: round(Math.max(0, head.profiledStepMs - kernelMs)),
    classes,
    layers: calls.filter((k) => k.gflop !== null),
  };
}
