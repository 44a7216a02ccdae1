import type { Command } from 'commander';
import { initBackend } from '@deepspike/core';
import { evaluateCheckpoint } from '@deepspike/train';
import { loadModelSpec, pluginOption } from '../shared/plugin-flag.js';
import { backendFlag, intFlag } from '../shared/flags.js';
import { requireCheckpointDir, requireModelFile } from '../shared/path-arg.js';
import { buildFromSpec } from '../shared/trained-model.js';

/**
 * `deepspike evaluate <model.snn.json> --checkpoint DIR [--json] [--plugin <spec>]...`: loads a checkpoint and evaluates
 * it on the test split; prints `{accuracy, loss, samples, firingRates}` with `--json`.
 */
export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a checkpoint of a model on its test split')
    .argument('<model>', 'the model file (*.snn.json)')
    .requiredOption('--checkpoint <dir>', 'a run directory, its checkpoint/ directory or one step-* checkpoint')
    .option('--json', 'print {accuracy, loss, samples, firingRates} as JSON')
    .option('--backend <name>', 'compute backend')
    .option('--batch-size <n>', "batch size (default: the model file's training.batchSize)")
    .addOption(pluginOption())
    .action(async (file: string, flags: { checkpoint: string; json?: boolean; backend?: string; batchSize?: string; plugin?: string[] }) => {
      const batchSize = intFlag('evaluate', '--batch-size', flags.batchSize);
      const backend = backendFlag('evaluate', flags.backend);
      requireModelFile('evaluate', file);
      requireCheckpointDir('evaluate', flags.checkpoint);
      const spec = await loadModelSpec(file, flags);
      await initBackend(backend, { log: flags.json ? () => {} : undefined });
      // With --json, stdout carries only the JSON: anything printed meanwhile (tf.js banners) goes to stderr.
      const write = process.stdout.write;
      if (flags.json) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
      let r: Awaited<ReturnType<typeof evaluateCheckpoint>>;
      try {
        r = await evaluateCheckpoint({ spec, checkpoint: flags.checkpoint, buildModel: buildFromSpec, batchSize });
      } finally {
        process.stdout.write = write;
      }
      if (flags.json) console.log(JSON.stringify({ accuracy: r.accuracy, loss: r.loss, samples: r.samples, firingRates: r.firingRates }));
      else {
        console.log(`evaluate: ${spec.name} checkpoint ${r.checkpoint} (step ${r.step})`);
        console.log(`evaluate: test accuracy ${(r.accuracy * 100).toFixed(2)}% (${r.samples} samples), loss ${r.loss.toFixed(4)}`);
        for (const [layer, rate] of Object.entries(r.firingRates)) console.log(`evaluate: firing rate ${layer} ${rate.toFixed(4)}`);
      }
    });
}
