import type { Command } from 'commander';
import { initBackend } from '@deepspike/core';
import {
  renderRecordPages,
  DEPTH_TABLE_HEAD,
  INITS,
  depthTableRows,
  runAccuracy,
  runDepthAblation,
  runTimesteps,
  writeDepthReport,
  type DepthResult,
  type InitName,
} from '@deepspike/bench';
import { CliError } from '../shared/cli-error.js';
import { backendFlag, intFlag } from '../shared/flags.js';
import { requirePath } from '../shared/path-arg.js';

/** Parses a comma list of integers >= min (`--depths 8,14`), or throws a usage error naming the flag. */
export function intListFlag(flag: string, value: string | undefined, min: number): number[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  const nums = items.map(Number);
  if (items.length === 0 || nums.some((n, i) => items[i] === '' || !Number.isInteger(n) || n < min)) {
    throw new CliError(`deepspike bench: ${flag} got "${value}"; expected a comma-separated list of integers >= ${min}, e.g. ${flag} 8,20.`, 2);
  }
  return nums;
}

function choiceFlag<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new CliError(`deepspike bench: ${flag} got "${value}"; expected one of ${choices.join(', ')}.`, 2);
  return value as T;
}

function table(head: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cells = [head.map(String), ...rows.map((r) => r.map((v) => (v === null ? '—' : String(v))))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padStart(widths[i] as number)).join('  ')).join('\n');
}

interface DepthFlags {
  depths?: string;
  norms?: string;
  residual?: string;
  init?: string;
  steps?: string;
  evalSamples?: string;
  dataset?: string;
  root?: string;
  channels?: string;
  timesteps?: string;
  batchSize?: string;
  seed?: string;
  fullSize?: boolean;
  backend?: string;
  json?: boolean;
  out?: string;
}

interface AccuracyFlags {
  model: string;
  epochs?: string;
  maxSteps?: string;
  batchSize?: string;
  evalBatches?: string;
  backend?: string;
  out?: string;
  seed?: string;
  json?: boolean;
  T?: string;
  resume?: boolean;
  checkpointEverySteps?: string;
}

/**
 * Adds the paper-claim benchmarks of issue 9 to a `bench` command group:
 * `depth` (depth ablation: per-layer firing rates and gradient norms at init and after N steps,
 * accuracy, JSON + HTML plots), `accuracy` (train a model file to completion, record accuracy, time,
 * backend) and `timesteps` (accuracy vs T).
 */
export function registerBenchPaperCommands(bench: Command): void {
  benchHtmlCommand(bench);
  benchDepthCommand(bench);
  benchAccuracyCommand(bench);
  benchTimestepsCommand(bench);
}

/** `deepspike bench html <paths...>`. */
function benchHtmlCommand(bench: Command): void {
  bench
    .command('html')
    .description('re-render the HTML page of benchmark records (depth.json + depth.info.json, timesteps.json) beside them; a folder renders each record file in it')
    .argument('<paths...>', 'record files or folders, e.g. docs/paper-claims')
    .action(async (paths: string[]) => {
      const pages = await renderRecordPages(paths);
      for (const p of pages) console.log(`bench html: wrote ${p}`);
    });
}

/** `deepspike bench depth`. */
function benchDepthCommand(bench: Command): void {
  bench
    .command('depth')
    .description('depth ablation: plain/residual conv SNNs of each depth and norm; per-layer firing rates and gradient norms at init and after N steps, test accuracy (JSON + HTML)')
    .option('--depths <list>', 'weight layers per network (residual: even)', '8,14,20,32')
    .option('--norms <list>', 'norms (registered names or none)', 'tdbn,bn,bntt,none')
    .option('--residual <mode>', 'on, off or both', 'both')
    .option('--init <name>', `weight initialisation (${INITS.join(', ')})`, 'default')
    .option('--steps <n>', 'Adam steps (lr 1e-3) after the init measurement', '50')
    .option('--eval-samples <n>', 'test samples for the accuracy (0: skip)', '1000')
    .option('--dataset <name>', 'mnist or fashion-mnist', 'mnist')
    .option('--root <dir>', 'dataset folder (fashion-mnist: e.g. /usr/share/datasets/fashion-mnist)')
    .option('--channels <n>', 'channels of every conv', '16')
    .option('--timesteps <n>', 'time steps T', '4')
    .option('--batch-size <n>', 'batch size', '32')
    .option('--seed <s>', 'seed of initialisation and data order', '0')
    .option('--full-size', 'keep 28x28 through the network (default: avg-pool to 14x14 after the first block)')
    .option('--backend <name>', 'compute backend')
    .option('--json', 'print the results as a JSON array')
    .option('--out <dir>', 'write depth.json, depth.info.json and depth.html there')
    .action(async (flags: DepthFlags) => {
      const w = 'bench depth';
      const depths = intListFlag('--depths', flags.depths, 2);
      const norms = flags.norms?.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const mode = choiceFlag('--residual', flags.residual, ['on', 'off', 'both'] as const) ?? 'both';
      const init = choiceFlag<InitName>('--init', flags.init, INITS);
      const backend = backendFlag(w, flags.backend);
      const opts = {
        steps: intFlag(w, '--steps', flags.steps, 0),
        evalSamples: intFlag(w, '--eval-samples', flags.evalSamples, 0),
        channels: intFlag(w, '--channels', flags.channels),
        timesteps: intFlag(w, '--timesteps', flags.timesteps),
        batchSize: intFlag(w, '--batch-size', flags.batchSize),
        seed: intFlag(w, '--seed', flags.seed, 0),
      };
      await initBackend(backend, { log: flags.json ? () => {} : undefined });
      const run = await runDepthAblation({
        depths,
        norms,
        residual: mode === 'both' ? [false, true] : [mode === 'on'],
        init,
        ...opts,
        dataset: flags.dataset,
        datasetOptions: flags.root ? { root: flags.root } : undefined,
        downsample: !flags.fullSize,
        log: flags.json ? undefined : (line) => console.log(`bench depth: ${line}`),
      });
      if (flags.out) {
        const paths = await writeDepthReport(flags.out, run);
        if (!flags.json) console.log(`bench depth: wrote ${paths.json} and ${paths.html}`);
      }
      if (flags.json) console.log(JSON.stringify(run.results));
      else {
        console.log(`bench depth: init = ${run.info.initDescription}`);
        console.log(table(DEPTH_TABLE_HEAD, depthTableRows(run.results as DepthResult[])));
      }
    });
}

/** The options `bench accuracy` and `bench timesteps` share. */
function accuracyOptions(c: Command): Command {
  return (
    c
      .requiredOption('--model <path>', 'a model file or its folder, e.g. examples/mnist-tdbn')
      .option('--epochs <n>', "epochs (default: the model file's)")
      .option('--max-steps <n>', 'stop after N steps (quick check; a full run leaves it out)')
      .option('--batch-size <n>', "batch size (default: the model file's)")
      .option('--eval-batches <n>', 'test batches evaluated (default: the whole test split)')
      .option('--seed <s>', "seed (default: the model file's)")
      .option('--checkpoint-every-steps <n>', "also checkpoint every N steps inside epochs (default: the model file's training.checkpointEvery epochs only)")
      .option('--backend <name>', 'compute backend')
      .option('--json', 'print the record(s) as JSON')
  );
}

/** `deepspike bench accuracy`. */
function benchAccuracyCommand(bench: Command): void {
  accuracyOptions(bench.command('accuracy'))
    .description("train a model to completion with its file's settings; record {model, accuracy, seconds, backend, epochs, samplesPerSec} in <run>/accuracy.json (rewritten after every epoch)")
    .option('--out <dir>', 'run folder (default <model folder>/runs/<timestamp>)')
    .option('--resume', 'continue the run in --out (default: the newest run of the model) from its last checkpoint')
    .action(async (flags: AccuracyFlags) => {
      const w = 'bench accuracy';
      const opts = parseAccuracy(w, flags);
      requireModelPath(w, flags.model);
      await initBackend(backendFlag(w, flags.backend), { log: flags.json ? () => {} : undefined });
      const r = await runAccuracy({ ...opts, out: flags.out, resume: flags.resume, log: flags.json ? undefined : (l) => console.log(l) });
      if (flags.json) console.log(JSON.stringify(r));
      else
        console.log(
          `bench accuracy: ${r.model} test accuracy ${r.accuracy === null ? 'n/a' : (r.accuracy * 100).toFixed(2) + '%'} (${r.samples} samples) ` +
            `after ${r.epochs} epoch(s), ${r.steps} steps, T=${r.timesteps}, in ${r.seconds.toFixed(1)} s on ${r.backend} (${r.samplesPerSec.toFixed(1)} training samples/s); ` +
            `record ${r.outDir}/accuracy.json`,
        );
    });
}

/** `deepspike bench timesteps`. */
function benchTimestepsCommand(bench: Command): void {
  accuracyOptions(bench.command('timesteps'))
    .description("accuracy vs time steps T: train the model once per T (the paper's T study; --epochs/--max-steps apply to each T); timesteps.json/.html rewritten after each T")
    .option('--T <list>', 'time steps', '1,2,4,6')
    .option('--out <dir>', 'folder for the runs (T<t>/) and timesteps.json/.html', 'bench-timesteps')
    .option('--resume', 'continue a study in --out: finished T are kept, a T with a checkpoint resumes')
    .action(async (flags: AccuracyFlags) => {
      const w = 'bench timesteps';
      const opts = parseAccuracy(w, flags);
      const T = intListFlag('--T', flags.T, 1);
      requireModelPath(w, flags.model);
      await initBackend(backendFlag(w, flags.backend), { log: flags.json ? () => {} : undefined });
      const rows = await runTimesteps({ ...opts, T, out: flags.out, resume: flags.resume, log: flags.json ? undefined : (l) => console.log(l) });
      if (flags.json) console.log(JSON.stringify(rows));
      else console.log(table(['T', 'accuracy', 'epochs', 'steps', 'seconds', 'samples/s'], rows.map((r) => [r.timesteps, r.accuracy === null ? null : `${(r.accuracy * 100).toFixed(2)}%`, r.epochs, r.steps, r.seconds.toFixed(1), r.samplesPerSec.toFixed(1)])));
    });
}

/** `--model` names a model file or a folder holding one; checked before the backend starts. */
function requireModelPath(w: string, model: string): void {
  requirePath(w, '--model', model, 'any', 'a model file (*.snn.json) or a folder holding one');
}

function parseAccuracy(w: string, flags: AccuracyFlags) {
  return {
    model: flags.model,
    epochs: intFlag(w, '--epochs', flags.epochs),
    maxSteps: intFlag(w, '--max-steps', flags.maxSteps),
    batchSize: intFlag(w, '--batch-size', flags.batchSize),
    evalBatches: intFlag(w, '--eval-batches', flags.evalBatches),
    seed: intFlag(w, '--seed', flags.seed, 0),
    checkpointEverySteps: intFlag(w, '--checkpoint-every-steps', flags.checkpointEverySteps),
  };
}

/**
 * Registers `depth`, `accuracy` and `timesteps` under the `bench` command group, creating the group
 * when no earlier registrar made it (list this after the speed benchmark's registrar).
 */
export function registerBenchPaperCommand(program: Command): void {
  const bench = program.commands.find((c) => c.name() === 'bench') ?? program.command('bench').description('benchmarks');
  registerBenchPaperCommands(bench);
  // `deepspike bench <model> [flags]` (what `nx run <model>:bench` calls) = `deepspike bench accuracy --model <model> [flags]`.
  bench
    .argument('[model]', 'a model file: the same as `bench accuracy --model <model>`')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (model: string | undefined, _flags: unknown, cmd: Command) => {
      if (model === undefined) {
        throw new CliError(`deepspike bench: no benchmark given, got nothing; expected a subcommand (${bench.commands.map((c) => c.name()).join(', ')}) or a model file. See deepspike bench --help.`, 2);
      }
      await bench.parseAsync(['accuracy', '--model', model, ...cmd.args.slice(1)], { from: 'user' });
    });
}
