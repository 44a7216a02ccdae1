import type { Command } from 'commander';
import { BACKEND_ORDER, type BackendName } from '@deepspike/core';
import { writeFileSync } from 'node:fs';
import { compareTable, distributedTable, eventBenchTable, profileTable, runCompare, runDistributedBench, runEventBench, runLifBench, runProfile, runScalingBench, runTrainingBench, runZoo, scalingTable, WORKLOADS, FIRST_LAYERS, messages as benchMessages, zooMarkdown, zooTable, type FirstLayer, type WorkloadName } from '@deepspike/bench';
import { CliError } from '../shared/cli-error.js';
import { backendFlag } from '../shared/flags.js';

function count(flag: string, v: string | undefined, min: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`deepspike bench: ${flag} must be an integer >= ${min}, got "${v}"; expected e.g. ${dflt}.`, 2);
  return n;
}

function workload(v: string): WorkloadName {
  if (!(WORKLOADS as readonly string[]).includes(v)) {
    throw new CliError(`deepspike bench: --workload got "${v}"; expected one of ${WORKLOADS.join(', ')}.`, 2);
  }
  return v as WorkloadName;
}

/**
 * `deepspike bench training --workload mnist|cifar-resnet [--backend B] [--steps N] [--warmup N] [--json]`
 * and `deepspike bench compare [--workloads a,b] [--backends a,b] [--steps N] [--rounds N] [--python P]
 * [--torch-script F] [--json]`: the training workloads of the PyTorch reference on our backends,
 * and side by side with PyTorch in one run.
 */
export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('training benchmarks (the PyTorch reference workloads), alone or side by side with PyTorch');
  benchTrainingCommand(bench);
  benchProfileCommand(bench);
  benchScalingCommand(bench);
  benchEventsCommand(bench);
  benchLifCommand(bench);
  benchCompareCommand(bench);
}

/** `deepspike bench training`. */
function benchTrainingCommand(bench: Command): void {
  bench
    .command('training')
    .description('time training steps of a workload: prints {workload, backend, medianMs, samplesPerSec, peakRssMb}')
    .requiredOption('--workload <name>', `workload (${WORKLOADS.join(', ')})`)
    .option('--backend <name>', `force a backend (${BACKEND_ORDER.join(', ')}); default: the best that loads`)
    .option('--steps <n>', 'timed steps (default 20)')
    .option('--warmup <n>', 'untimed warm-up steps (default 3)')
    .option('--json', 'print the full result as one JSON line')
    .action(async (opts: { workload: string; backend?: string; steps?: string; warmup?: string; json?: boolean }) => {
      const r = await runTrainingBench({
        workload: workload(opts.workload),
        ...(opts.backend !== undefined ? { backend: backendFlag('bench', opts.backend) as BackendName } : {}),
        steps: count('--steps', opts.steps, 1, 20),
        warmup: count('--warmup', opts.warmup, 0, 3),
        log: opts.json ? undefined : (l) => console.error(l),
      });
      if (opts.json) console.log(JSON.stringify(r));
      else console.log(JSON.stringify({ workload: r.workload, backend: r.backend, medianMs: r.medianMs, samplesPerSec: r.samplesPerSec, peakRssMb: r.peakRssMb }));
    });
}

const FIRST_LAYER_HELP =
  "how our runs do the first conv on the direct encoding: once (on the image, its tdBN-LIF on the one step for T, as the framework's models run it; default) or copies (on the image's T copies, as the PyTorch reference does)";

/** A --first-layer list: once, copies or both. */
function firstLayers(list: string): FirstLayer[] {
  const names = list.split(',').map((v) => v.trim());
  for (const n of names) if (!(FIRST_LAYERS as readonly string[]).includes(n)) throw new Error(benchMessages.badFirstLayer(n));
  return names as FirstLayer[];
}

/** `deepspike bench profile`. */
function benchProfileCommand(bench: Command): void {
  bench
    .command('profile')
    .description('one training step kernel by kernel: time, GFLOP, GF/s and share of the FMA peak of every conv, matmul, tdBN+LIF, pooling and optimiser kernel; conv paths (spikes, winograd, dense) and densities; time outside kernels')
    .requiredOption('--workload <name>', `workload (${WORKLOADS.join(', ')})`)
    .option('--backend <name>', `force a backend (${BACKEND_ORDER.join(', ')}); default: the best that loads`)
    .option('--steps <n>', 'timed steps without the profiler, for the step time (default 10)')
    .option('--warmup <n>', 'untimed warm-up steps (default 3)')
    .option('--profiled <n>', 'steps under tf.profile, averaged per kernel (default 3)')
    .option('--first-layer <how>', FIRST_LAYER_HELP)
    .option('--json', 'print the result as one JSON line instead of tables')
    .action(async (opts: { workload: string; backend?: string; steps?: string; warmup?: string; profiled?: string; firstLayer?: string; json?: boolean }) => {
      const r = await runProfile({
        workload: workload(opts.workload),
        ...(opts.firstLayer !== undefined ? { firstLayer: firstLayers(opts.firstLayer)[0] as FirstLayer } : {}),
        ...(opts.backend !== undefined ? { backend: backendFlag('bench', opts.backend) as BackendName } : {}),
        steps: count('--steps', opts.steps, 1, 10),
        warmup: count('--warmup', opts.warmup, 0, 3),
        profiled: count('--profiled', opts.profiled, 1, 3),
        log: opts.json ? undefined : (l) => console.error(l),
      });
      console.log(opts.json ? JSON.stringify(r) : profileTable(r));
    });
}

/** `deepspike bench scaling`. */
function benchScalingCommand(bench: Command): void {
  bench
    .command('scaling')
    .description('the training step of each workload on the native backend at 1 and 2 threads, with AVX-512 and with AVX2 only, side by side')
    .option('--workload <name>', `one workload (${WORKLOADS.join(', ')}); default both`)
    .option('--threads <list>', 'thread counts, comma list (default 1,2)')
    .option('--simd <list>', 'instruction sets, comma list of auto, avx2, avx512, 128, off (default auto,avx2)')
    .option('--steps <n>', 'timed steps per configuration (default 20)')
    .option('--warmup <n>', 'untimed warm-up steps (default 3)')
    .option('--json', 'print the result as one JSON line instead of a table')
    .action(async (opts: { workload?: string; threads?: string; simd?: string; steps?: string; warmup?: string; json?: boolean }) => {
      const r = await runScalingBench({
        ...(opts.workload !== undefined ? { workloads: [workload(opts.workload)] } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads.split(',').map((v) => count('--threads', v.trim(), 1, 1)) } : {}),
        ...(opts.simd !== undefined ? { simd: opts.simd.split(',').map((v) => v.trim()) } : {}),
        steps: count('--steps', opts.steps, 1, 20),
        warmup: count('--warmup', opts.warmup, 0, 3),
        log: opts.json ? undefined : (l) => console.error(l),
      });
      console.log(opts.json ? JSON.stringify(r) : scalingTable(r));
    });
}

/** `deepspike bench events`. */
function benchEventsCommand(bench: Command): void {
  bench
    .command('events')
    .description('event-driven integer inference (the neuromorphic simulator) vs dense float inference on the same network, at controlled input firing rates')
    .option('--rates <list>', 'input firing rates, comma list (default 0.01,0.02,0.05,0.1,0.2)')
    .option('--steps <n>', 'time steps T per sample (default 4)')
    .option('--samples <n>', 'samples per measurement (default 4)')
    .option('--batch <n>', 'batch of the batched dense forward (default 64)')
    .option('--backend <name>', `force a backend for the dense forward (${BACKEND_ORDER.join(', ')})`)
    .option('--json', 'print the result as one JSON line instead of a table')
    .action(async (opts: { rates?: string; steps?: string; samples?: string; batch?: string; backend?: string; json?: boolean }) => {
      const r = await runEventBench({
        ...(opts.rates !== undefined ? { rates: opts.rates.split(',').map((v) => Number(v.trim())) } : {}),
        steps: count('--steps', opts.steps, 1, 4),
        samples: count('--samples', opts.samples, 1, 4),
        batch: count('--batch', opts.batch, 1, 64),
        ...(opts.backend !== undefined ? { backend: backendFlag('bench', opts.backend) as BackendName } : {}),
        log: opts.json ? undefined : (l) => console.error(l),
      });
      console.log(opts.json ? JSON.stringify(r) : eventBenchTable(r));
    });
}

/** `deepspike bench lif`. */
function benchLifCommand(bench: Command): void {
  bench
    .command('distributed')
    .description('data-parallel scaling on MPI on this machine: per-step compute, gradient all-reduce time and bytes, SyncBN all-reduces and samples/s of 1 process × 1 thread, 1 × 2 threads and 2 ranks × 1 thread')
    .option('--model <path>', 'model file or its folder (default examples/mnist-tdbn)')
    .option('--steps <n>', 'timed steps per configuration (default 10)')
    .option('--warmup <n>', 'untimed warm-up steps (default 2)')
    .option('--deterministic', 'also run every configuration with deterministic reductions (train --deterministic) and print their cost')
    .option('--json', 'print the result as one JSON line instead of a table')
    .action(async (opts: { model?: string; steps?: string; warmup?: string; deterministic?: boolean; json?: boolean }) => {
      const r = await runDistributedBench({
        deterministic: opts.deterministic === true,
        ...(opts.model !== undefined ? { model: opts.model } : {}),
        steps: count('--steps', opts.steps, 1, 10),
        warmup: count('--warmup', opts.warmup, 0, 2),
        log: opts.json ? undefined : (l) => console.error(l),
      });
      console.log(opts.json ? JSON.stringify(r) : distributedTable(r));
    });
  bench
    .command('zoo')
    .description('every example architecture: parameters, SOPs and MACs per sample at a measured firing rate, inference and training samples/s on this machine')
    .option('--models <list>', 'example folders, comma list (default: the whole zoo)')
    .option('--backend <name>', `force a backend (${BACKEND_ORDER.join(', ')})`)
    .option('--samples <n>', 'samples of the measured forward for firing rates and SOPs (default 4)')
    .option('--iters <n>', 'timed passes per model after one warm-up (default 2)')
    .option('--no-training', 'time inference only')
    .option('--root <dir>', 'repository root holding examples/ (default: found from the working directory)')
    .option('--write <file>', 'write the Markdown page (docs/model-zoo.md) to this file')
    .option('--json', 'print the result as one JSON line instead of a table')
    .action(async (opts: { models?: string; backend?: string; samples?: string; iters?: string; training?: boolean; root?: string; write?: string; json?: boolean }) => {
      const r = await runZoo({
        ...(opts.models ? { models: opts.models.split(',').map((m) => m.trim()) } : {}),
        ...(opts.backend !== undefined ? { backend: backendFlag('bench', opts.backend) as BackendName } : {}),
        samples: count('--samples', opts.samples, 1, 4),
        iters: count('--iters', opts.iters, 1, 2),
        noTraining: opts.training === false,
        ...(opts.root ? { root: opts.root } : {}),
        log: opts.json ? undefined : (l) => console.error(l),
      });
      if (opts.write) writeFileSync(opts.write, zooMarkdown(r));
      console.log(opts.json ? JSON.stringify(r) : zooTable(r));
    });
  bench
    .command('lif')
    .description('fused LIF forward+backward vs composite tf.js ops on [4, 64, 28, 28, 32], same backend')
    .option('--backend <name>', `force a backend (${BACKEND_ORDER.join(', ')})`)
    .option('--reps <n>', 'timed repetitions (default 5)')
    .action(async (opts: { backend?: string; reps?: string }) => {
      const r = await runLifBench({ ...(opts.backend !== undefined ? { backend: backendFlag('bench', opts.backend) as BackendName } : {}), reps: count('--reps', opts.reps, 1, 5) });
      console.log(JSON.stringify(r));
    });
}

/** `deepspike bench compare`. */
function benchCompareCommand(bench: Command): void {
  bench
    .command('compare')
    .description('run our backends and the PyTorch reference (when /usr/bin/python3 has torch) alternately; print ours/PyTorch ratios')
    .option('--workloads <list>', `comma list (default ${WORKLOADS.join(',')})`)
    .option('--backends <list>', 'our backends, comma list (default deepspike-native)')
    .option('--steps <n>', 'timed steps per run (default 20)')
    .option('--warmup <n>', 'warm-up steps per run (default 3)')
    .option('--rounds <n>', 'alternating rounds (default 1)')
    .option('--python <path>', 'python with torch (default /usr/bin/python3)')
    .option('--torch-script <path>', 'torch_snn_bench.py (default: DEEPSPIKE_TORCH_BENCH, else the repository\'s testdata/reference/)')
    .option('--first-layer <list>', `${FIRST_LAYER_HELP}; once,copies runs both each round`)
    .option('--json', 'print rows and raw results as JSON')
    .action(async (opts: { workloads?: string; backends?: string; steps?: string; warmup?: string; rounds?: string; python?: string; torchScript?: string; firstLayer?: string; json?: boolean }) => {
      const r = await runCompare({
        ...(opts.firstLayer !== undefined ? { firstLayers: firstLayers(opts.firstLayer) } : {}),
        workloads: opts.workloads ? opts.workloads.split(',').map((w) => workload(w.trim())) : WORKLOADS,
        backends: opts.backends ? opts.backends.split(',').map((b) => backendFlag('bench', b.trim()) as BackendName) : ['deepspike-native'],
        steps: count('--steps', opts.steps, 1, 20),
        warmup: count('--warmup', opts.warmup, 0, 3),
        rounds: count('--rounds', opts.rounds, 1, 1),
        ...(opts.python ? { python: opts.python } : {}),
        ...(opts.torchScript ? { torchScript: opts.torchScript } : {}),
        log: (l) => console.error(l),
      });
      if (opts.json) console.log(JSON.stringify(r));
      else console.log(compareTable(r.rows));
    });
}
