import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { DeepSpikeError, initBackend, loadInstalledPlugins, registry as defaultRegistry, type BackendName, type Registry } from '@deepspike/core';
import { buildModel, type BuiltModel } from '@deepspike/codegen';
import { validateModelSync, type ModelSpec } from '@deepspike/dsl';
import { countOps } from './ops.js';
import { ZOO, type ZooEntry } from './zoo.js';

/** Options of {@link runZoo}. */
export interface ZooOptions {
  /** Repository root holding `examples/` (default: found upwards from the working directory). */
  readonly root?: string;
  /** Example folders to measure (default: every {@link ZOO} entry). */
  readonly models?: readonly string[];
  /** Force a backend (default: the best that loads). */
  readonly backend?: BackendName;
  /** Samples per measured forward for firing rates and SOPs (default 4). */
  readonly samples?: number;
  /** Timed inference passes / training steps per model after one warm-up (default 2). */
  readonly iters?: number;
  /** Skip the training-step timing (inference only). */
  readonly noTraining?: boolean;
  readonly log?: (line: string) => void;
}

/** One architecture's measured figures. */
export interface ZooRow {
  readonly model: string;
  readonly architecture: string;
  readonly paper: string;
  readonly input: string;
  readonly timesteps: number;
  readonly params: number;
  /** Synaptic operations per sample (spikes × synapses driven), from the measured pass. */
  readonly sopsPerSample: number;
  /** MACs per sample of the layers fed real values (the analog input, membrane shortcuts). */
  readonly macsPerSample: number;
  /** Of the SOPs: spiking self-attention's spike-matrix products. */
  readonly attentionSopsPerSample: number;
  /** The mean over neuron layers of each layer's firing rate (spikes per neuron per step). */
  readonly meanFiringRate: number;
  /** Forward passes in inference mode, samples per second. */
  readonly inferSamplesPerSec: number;
  readonly inferBatch: number;
  /** Training steps (forward, backward, SGD update), samples per second; null when skipped. */
  readonly trainSamplesPerSec: number | null;
  readonly trainBatch: number;
}

/** The result of {@link runZoo}. */
export interface ZooResult {
  readonly backend: string;
  readonly date: string;
  readonly samples: number;
  readonly iters: number;
  /** CPUs and the 1-minute load average before and after the run (other jobs share the machine). */
  readonly cpus: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly rows: readonly ZooRow[];
}

function findRoot(start: string): string {
  for (let d = start; ; d = join(d, '..')) {
    if (existsSync(join(d, 'examples')) && existsSync(join(d, 'package.json'))) return d;
    if (join(d, '..') === d) throw new DeepSpikeError(`deepspike bench zoo: no examples/ folder above ${start}, got none; expected the repository root. Run it from the repository, or pass --root.`);
  }
}

/** A batch of seeded inputs: uniform [0, 1) images, or Bernoulli(0.2) event frames carrying T. */
function inputs(spec: ModelSpec, t: number, n: number, seed: number): Tensor {
  const shape = [...spec.input.shape];
  if (spec.input.encoding === 'events') return tf.tidy(() => tf.cast(tf.less(tf.randomUniform([t, n, ...shape], 0, 1, 'float32', seed), 0.2), 'float32'));
  return tf.randomUniform([n, ...shape], 0, 1, 'float32', seed);
}

function timeIt(iters: number, f: () => void): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) f();
  return (performance.now() - t0) / 1000;
}

function measure(entry: ZooEntry, spec: ModelSpec, registry: Registry, opts: Required<Pick<ZooOptions, 'samples' | 'iters'>> & { training: boolean }): ZooRow {
  const model: BuiltModel = buildModel(spec, { registry });
  const t = model.timesteps;
  const classes = model.plan.outputShape[model.plan.outputShape.length - 1] as number;
  try {
    const params = model.countParameters();
    // firing rates and operations: one forward in training mode (batch statistics normalise the
    // untrained network's currents as they would a trained one's) on seeded inputs
    for (const n of model.neuronLayers().values()) n.recordRates = true;
    const x = inputs(spec, t, opts.samples, 1);
    const { ops, output } = countOps(model, () => model.forward(x));
    output.dispose();
    const rates = [...model.neuronLayers().values()].map((n) => n.lastFiringRate?.dataSync()[0] ?? 0);
    for (const n of model.neuronLayers().values()) n.recordRates = false;
    x.dispose();
    model.resetState();
    // inference speed
    model.setTraining(false);
    const xb = inputs(spec, t, entry.batch, 2);
    const inferSec = timeIt(opts.iters, () => {
      tf.dispose(model.forward(xb));
      model.resetState();
    });
    model.setTraining(true);
    let trainSps: number | null = null;
    if (opts.training) {
      const vars = [...model.trainableParameters().values()];
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: entry.batch }, (_, i) => i % classes), 'int32'), classes);
      const opt = tf.train.sgd(1e-3);
      const trainSec = timeIt(opts.iters, () => {
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(xb)) as tf.Scalar, vars);
        opt.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] as Tensor })));
        tf.dispose([value, ...Object.values(grads)]);
        model.resetState();
      });
      trainSps = (entry.batch * opts.iters) / trainSec;
      tf.dispose(y);
      opt.dispose();
    }
    xb.dispose();
    const per = 1 / opts.samples;
    return {
      model: entry.folder,
      architecture: entry.architecture,
      paper: entry.paper,
      input: `${spec.input.shape.join('x')}${spec.input.encoding === 'events' ? ' events' : ''}`,
      timesteps: t,
      params,
      sopsPerSample: ops.sops * per,
      macsPerSample: ops.macs * per,
      attentionSopsPerSample: ops.attentionSops * per,
      meanFiringRate: rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : 0,
      inferSamplesPerSec: (entry.batch * opts.iters) / inferSec,
      inferBatch: entry.batch,
      trainSamplesPerSec: trainSps,
      trainBatch: entry.batch,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Measures every zoo architecture on this machine: parameters, SOPs and MACs per sample from one
 * forward pass of the seeded, untrained model (training-mode norms) on seeded inputs, the mean
 * firing rate of that pass, and inference / training samples per second (one warm-up, then `iters`).
 */
export async function runZoo(options: ZooOptions = {}): Promise<ZooResult> {
  const log = options.log ?? (() => {});
  const loadBefore = loadavg()[0] as number;
  const root = options.root ?? findRoot(process.cwd());
  const report = await initBackend(options.backend, { log: () => {} });
  const registry = defaultRegistry;
  await loadInstalledPlugins(registry);
  const wanted = options.models ?? ZOO.map((z) => z.folder);
  const rows: ZooRow[] = [];
  const samples = options.samples ?? 4;
  const iters = options.iters ?? 2;
  for (const folder of wanted) {
    const entry = ZOO.find((z) => z.folder === folder);
    if (!entry) throw new DeepSpikeError(`deepspike bench zoo: unknown model "${folder}", got "${folder}"; expected one of ${ZOO.map((z) => z.folder).join(', ')}. Name an example folder listed in the zoo.`);
    const file = join(root, 'examples', folder, `${folder}.snn.json`);
    const spec = validateModelSync(readFileSync(file, 'utf8'), { registry, file });
    log(`zoo: ${folder} ...`);
    const row = measure(entry, spec, registry, { samples, iters, training: !options.noTraining });
    log(`zoo: ${folder}: ${row.params} params, ${(row.sopsPerSample / 1e6).toFixed(1)} M SOPs/sample, ${row.inferSamplesPerSec.toFixed(2)} samples/s inference`);
    rows.push(row);
  }
  return { backend: report.backend, date: new Date().toISOString().slice(0, 10), samples, iters, cpus: availableParallelism(), loadBefore, loadAfter: loadavg()[0] as number, rows };
}
