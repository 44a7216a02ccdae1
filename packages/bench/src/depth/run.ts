import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check, registry } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import { createLoader, openDataset, type Batch, type Dataset } from '@deepspike/datasets';
import { evaluateModel, type Loss } from '@deepspike/train';
import { installPaperPlugins } from '../paper/plugins.js';
import { keepAlive } from '../paper/keep-alive.js';
import { messages } from '../paper/messages.js';
import { applyInit, INIT_DESCRIPTIONS, weightKernels, type InitName } from './init.js';
import { depthSpec, NO_NORM } from './networks.js';
import { gradRatio, probe } from './probe.js';

/** Options of {@link runDepthAblation}. */
export interface DepthAblationOptions {
  /** Weight layers per network (default 8, 14, 20, 32). */
  readonly depths?: readonly number[];
  /** Norms (default tdbn, bn, bntt, none). */
  readonly norms?: readonly string[];
  /** Plain and/or residual (default both: `[false, true]`). */
  readonly residual?: readonly boolean[];
  /** Weight initialisation (default `default`, PyTorch's). */
  readonly init?: InitName;
  /** Adam (lr 1e-3) steps of batch 32 between the init and final measurements (default 50). */
  readonly steps?: number;
  /** Test samples for the accuracy after `steps` (default 1000; 0 skips the evaluation). */
  readonly evalSamples?: number;
  /** Dataset (default `mnist`) and its options. */
  readonly dataset?: string;
  readonly datasetOptions?: Readonly<Record<string, unknown>>;
  /** Channels (default 16), T (default 4), batch (default 32), seed (default 0). */
  readonly channels?: number;
  readonly timesteps?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  /** Average-pool to 14×14 after the first block (default true). */
  readonly downsample?: boolean;
  /** Progress lines (default none). */
  readonly log?: (line: string) => void;
  /** Called with each configuration's result as soon as it is measured. */
  readonly onResult?: (r: DepthResult) => void;
}

/** One configuration's measurements (per-layer arrays from input to output; null where undefined). */
export interface DepthResult {
  readonly depth: number;
  readonly norm: string;
  readonly residual: boolean;
  readonly init: InitName;
  /** Spike rate of each spiking layer on the probe batch, at initialisation and after `steps`. */
  readonly firingRatesInit: number[];
  readonly firingRatesFinal: number[];
  /** `||dL/dW||_2` of each weight kernel (convs, then the classifier) on the probe batch. */
  readonly gradNormsInit: number[];
  readonly gradNormsFinal: number[];
  /** Last-layer / first-layer weight-gradient norm (the calibration ratio). */
  readonly gradRatioInit: number | null;
  readonly gradRatioFinal: number | null;
  /** Last-conv / first-conv weight-gradient norm at init (the classifier left out). */
  readonly gradRatioConvInit: number | null;
  /** Test accuracy in [0, 1] after `steps` (inference mode, running statistics), null if not evaluated or non-finite. */
  readonly accuracy: number | null;
  readonly lossInit: number | null;
  readonly lossFinal: number | null;
  readonly steps: number;
  readonly evalSamples: number;
  /** Names of the weight kernels and spiking layers the arrays follow. */
  readonly weightLayers: string[];
  readonly spikingLayers: string[];
  readonly backend: string;
  readonly seconds: number;
}

/** Extra information recorded beside the results. */
export interface DepthRunInfo {
  readonly date: string;
  readonly backend: string;
  readonly dataset: string;
  readonly init: InitName;
  readonly initDescription: string;
  readonly channels: number;
  readonly timesteps: number;
  readonly batchSize: number;
  readonly steps: number;
  readonly downsample: boolean;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

async function take(it: AsyncIterator<Batch>, dataset: Dataset, batchSize: number, seed: number): Promise<{ batch: Batch; it: AsyncIterator<Batch> }> {
  let r = await it.next();
  if (r.done) {
    it = createLoader(dataset, { split: 'train', batchSize, shuffle: true, seed: seed + 1, dropLast: true })[Symbol.asyncIterator]();
    r = await it.next();
  }
  return { batch: r.value as Batch, it };
}

/** Measures one configuration (see {@link runDepthAblation}). */
async function runOne(
  dataset: Dataset,
  loss: Loss,
  cfg: { depth: number; norm: string; residual: boolean },
  o: Required<Omit<DepthAblationOptions, 'depths' | 'norms' | 'residual' | 'log' | 'onResult' | 'datasetOptions'>>,
): Promise<DepthResult> {
  const started = performance.now();
  const spec = depthSpec({ ...cfg, channels: o.channels, timesteps: o.timesteps, dataset: o.dataset, seed: o.seed, downsample: o.downsample });
  const model = buildModel(spec, { seed: o.seed });
  applyInit(model, o.init, o.seed);
  const params = model.trainableParameters();
  const kernels = weightKernels(model);
  const optimizer = registry.get('optimizer', 'adam').create({});
  const loader = createLoader(dataset, { split: 'train', batchSize: o.batchSize, shuffle: true, seed: o.seed, dropLast: true });
  let it = loader[Symbol.asyncIterator]();
  let first: Batch;
  ({ batch: first, it } = await take(it, dataset, o.batchSize, o.seed));
  try {
    const init = probe(model, kernels, params, loss, first.x, first.y, o.steps > 0);
    let lossFinal = init.loss;
    // Step 1 uses the probe batch's gradients; the following steps the next batches.
    for (let s = 0; s < o.steps; s++) {
      let grads: Map<string, Tensor>;
      if (s === 0) grads = init.grads as Map<string, Tensor>;
      else {
        let b: Batch;
        ({ batch: b, it } = await take(it, dataset, o.batchSize, o.seed));
        const r = probe(model, kernels, params, loss, b.x, b.y, true);
        grads = r.grads as Map<string, Tensor>;
        lossFinal = r.loss;
        tf.dispose([b.x, b.y]);
      }
      optimizer.step(params, grads, 0.001);
      tf.dispose([...grads.values()]);
    }
    const final = o.steps > 0 ? probe(model, kernels, params, loss, first.x, first.y) : init;
    let accuracy: number | null = null;
    let evalSamples = 0;
    if (o.evalSamples > 0) {
      const ev = await evaluateModel(model, dataset, loss, { batchSize: Math.min(64, o.evalSamples), maxBatches: Math.ceil(o.evalSamples / Math.min(64, o.evalSamples)) });
      accuracy = finite(ev.accuracy);
      evalSamples = ev.samples;
    }
    return {
      ...cfg,
      init: o.init,
      firingRatesInit: init.firingRates,
      firingRatesFinal: final.firingRates,
      gradNormsInit: init.gradNorms,
      gradNormsFinal: final.gradNorms,
      gradRatioInit: gradRatio(init.gradNorms),
      gradRatioFinal: gradRatio(final.gradNorms),
      gradRatioConvInit: gradRatio(init.gradNorms.slice(0, -1)),
      accuracy,
      lossInit: finite(init.loss),
      lossFinal: finite(o.steps > 0 ? lossFinal : init.loss),
      steps: o.steps,
      evalSamples,
      weightLayers: [...kernels.keys()],
      spikingLayers: [...model.neuronLayers().keys()],
      backend: tf.getBackend(),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    tf.dispose([first.x, first.y]);
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * The depth ablation of issue 9: for each (residual, depth, norm), builds the network of
 * {@link depthSpec}, initialises it (`init`), measures per-layer firing rates and weight-gradient
 * norms on one training batch at initialisation, trains `steps` Adam steps, measures again on the same
 * batch, and evaluates test accuracy on `evalSamples` samples. Opens the dataset from the registry
 * (`@deepspike/datasets` is loaded when needed). Runs on the current tf.js backend.
 */
export async function runDepthAblation(options: DepthAblationOptions = {}): Promise<{ info: DepthRunInfo; results: DepthResult[] }> {
  return keepAlive(() => depthAblation(options));
}

async function depthAblation(options: DepthAblationOptions): Promise<{ info: DepthRunInfo; results: DepthResult[] }> {
  await installPaperPlugins();
  const depths = options.depths ?? [8, 14, 20, 32];
  const norms = options.norms ?? ['tdbn', 'bn', 'bntt', NO_NORM];
  for (const n of norms) check(n === NO_NORM || registry.has('norm', n), () => messages.badNorm(n, [...registry.names('norm'), NO_NORM]));
  const o = {
    init: options.init ?? 'default',
    steps: options.steps ?? 50,
    evalSamples: options.evalSamples ?? 1000,
    dataset: options.dataset ?? 'mnist',
    channels: options.channels ?? 16,
    timesteps: options.timesteps ?? 4,
    batchSize: options.batchSize ?? 32,
    seed: options.seed ?? 0,
    downsample: options.downsample ?? true,
  } as const;
  check(Number.isInteger(o.steps) && o.steps >= 0, () => messages.badInt('--steps', o.steps, 0));
  const dataset = await openDataset(o.dataset, options.datasetOptions ?? {});
  const loss = registry.get('loss', 'rate-ce').create({});
  const results: DepthResult[] = [];
  for (const residual of options.residual ?? [false, true]) {
    for (const depth of depths) {
      for (const norm of norms) {
        const r = await runOne(dataset, loss, { depth, norm, residual }, o);
        options.log?.(
          `depth ${depth} ${residual ? 'residual' : 'plain'} ${norm}: rates@init ${r.firingRatesInit.map((v) => v.toFixed(3)).join(' ')}; ` +
            `ratio@init ${r.gradRatioInit?.toPrecision(3) ?? 'n/a'}; accuracy ${r.accuracy === null ? 'n/a' : (r.accuracy * 100).toFixed(2) + '%'} (${r.seconds.toFixed(1)} s)`,
        );
        options.onResult?.(r);
        results.push(r);
      }
    }
  }
  const info: DepthRunInfo = {
    date: new Date().toISOString(),
    backend: tf.getBackend(),
    dataset: o.dataset,
    init: o.init,
    initDescription: INIT_DESCRIPTIONS[o.init],
    channels: o.channels,
    timesteps: o.timesteps,
    batchSize: o.batchSize,
    steps: o.steps,
    downsample: o.downsample,
  };
  return { info, results };
}
