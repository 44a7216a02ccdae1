import type { Command } from 'commander';
import { BACKEND_ORDER, initBackend } from '@deepspike/core';
import { train } from '@deepspike/train';
import { CliError } from '../shared/cli-error.js';
import { loadModelSpec, pluginOption } from '../shared/plugin-flag.js';
import { backendFlag, intFlag } from '../shared/flags.js';
import { requireModelFile, requirePath } from '../shared/path-arg.js';
import { buildFromSpec } from '../shared/trained-model.js';
import { asRank, detectLaunch, joinJob, spawnRanks } from '../shared/distributed.js';

interface TrainFlags {
  epochs?: string;
  maxSteps?: string;
  batchSize?: string;
  backend?: string;
  out?: string;
  resume?: string | boolean;
  seed?: string;
  checkpointEveryEpochs?: string;
  checkpointEverySteps?: string;
  logEvery?: string;
  progress?: boolean;
  clipGradNorm?: string;
  plugin?: string[];
  ranks?: string;
  syncBn?: boolean;
  checkWeightsEvery?: string;
  deterministic?: boolean;
  deterministicGranule?: string;
}

/**
 * `deepspike train <model.snn.json> [--epochs N] [--max-steps N] [--batch-size N] [--backend B]
 * [--out DIR] [--resume [DIR]] [--seed S] [--plugin <spec>]...`: trains the model on its dataset with progress, crash-safe
 * checkpoints, metrics.jsonl and report.html; prints the test accuracy, the report path and the time.
 */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train a model file on its dataset (checkpoints, metrics.jsonl, report.html in --out)')
    .argument('<model>', 'the model file (*.snn.json)')
    .option('--epochs <n>', "epochs (default: the model file's training.epochs)")
    .option('--max-steps <n>', 'stop after this many optimiser steps in total')
    .option('--batch-size <n>', "batch size (default: the model file's training.batchSize)")
    .option('--backend <name>', `compute backend (${BACKEND_ORDER.join(', ')})`)
    .option('--out <dir>', 'output directory (default <model folder>/runs/<timestamp>)')
    .option('--resume [dir]', 'continue from the checkpoint of a run (default: the newest run of this model)')
    .option('--seed <s>', "seed of initialisation and data order (default: training.seed)")
    .option('--checkpoint-every-epochs <n>', "checkpoint every N epochs (overrides the model file's training.checkpointEvery, default 1); the end of the run always saves")
    .option('--checkpoint-every-steps <n>', 'also checkpoint every N optimiser steps inside epochs (default: off)')
    .option('--log-every <n>', 'log metrics every N steps (default 50)')
    .option('--clip-grad-norm <x>', 'clip gradients to this global L2 norm')
    .option('--no-progress', 'plain log lines instead of a progress bar')
    .option('--ranks <n>', 'data-parallel on N processes of this machine: starts `mpirun -np N` on this command (under mpirun/srun the ranks are detected, no flag needed)')
    .option('--no-sync-bn', 'data-parallel: normalise with each rank\'s own batch statistics instead of the global batch\'s (SyncBatchNorm is the default)')
    .option('--deterministic', 'sum the linear and conv weight gradients over 8-sample blocks in a fixed tree: the same bits whatever the blocking, and 2 data-parallel ranks give the bits of one process')
    .option('--deterministic-granule <n>', 'samples per block of --deterministic (default 8; implies --deterministic)')
    .option('--check-weights-every <n>', 'data-parallel: compare a checksum of the weights across ranks every N steps (default 50; 0 = never)')
    .addOption(pluginOption())
    .action(async (file: string, flags: TrainFlags) => {
      const where = 'train';
      const epochs = intFlag(where, '--epochs', flags.epochs);
      const maxSteps = intFlag(where, '--max-steps', flags.maxSteps);
      const batchSize = intFlag(where, '--batch-size', flags.batchSize);
      const seed = intFlag(where, '--seed', flags.seed, 0);
      const checkpointEveryEpochs = intFlag(where, '--checkpoint-every-epochs', flags.checkpointEveryEpochs);
      const checkpointEverySteps = intFlag(where, '--checkpoint-every-steps', flags.checkpointEverySteps);
      const logEvery = intFlag(where, '--log-every', flags.logEvery);
      const backend = backendFlag(where, flags.backend);
      const ranks = intFlag(where, '--ranks', flags.ranks);
      const checkEvery = intFlag(where, '--check-weights-every', flags.checkWeightsEvery, 0);
      const granule = intFlag(where, '--deterministic-granule', flags.deterministicGranule);
      const deterministic = granule !== undefined ? { granule } : flags.deterministic === true;
      const clipGradNorm = flags.clipGradNorm === undefined ? undefined : Number(flags.clipGradNorm);
      if (clipGradNorm !== undefined && !(clipGradNorm > 0)) throw new CliError(`deepspike train: --clip-grad-norm got "${flags.clipGradNorm}"; expected a number > 0.`, 2);
      // File errors come before the backend starts: the model file, --resume's folder.
      requireModelFile(where, file);
      if (typeof flags.resume === 'string') requirePath(where, '--resume', flags.resume, 'directory', 'a run directory or its checkpoint/ directory');
      if (ranks !== undefined && ranks > 1 && detectLaunch().size === 1) {
        process.exitCode = await spawnRanks(where, ranks, process.argv);
        return;
      }
      const spec = await loadModelSpec(file, flags);
      const comm = joinJob(where);
      const run = async (): Promise<void> => {
        await initBackend(backend);
        const result = await train({
          spec,
          specFile: file,
          buildModel: buildFromSpec,
          epochs,
          maxSteps,
          batchSize,
          seed,
          out: flags.out,
          resume: flags.resume,
          checkpointEveryEpochs,
          checkpointEverySteps,
          logEvery,
          clipGradNorm,
          deterministic,
          progress: flags.progress === false ? 'log' : 'auto',
          distributed: comm ? { comm, syncBatchStats: flags.syncBn !== false, checkEvery } : undefined,
        });
        result.model.dispose();
      };
      if (comm) await asRank(comm, run);
      else await run();
    });
}
