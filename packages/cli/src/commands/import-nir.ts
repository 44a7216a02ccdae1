import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { initBackend, loadInstalledPlugins } from '@deepspike/core';
import { validateModelFile } from '@deepspike/dsl';
import { assignSpecWeights, graphToSpec, importNIR } from '@deepspike/neuromorphic';
import { hashSpec, saveCheckpoint } from '@deepspike/train';
import { CliError } from '../shared/cli-error.js';
import { intFlag } from '../shared/flags.js';
import { requirePath } from '../shared/path-arg.js';
import { buildFromSpec } from '../shared/trained-model.js';

interface ImportFlags {
  out: string;
  dt?: string;
  name?: string;
  timesteps?: string;
  dataset?: string;
  encoding?: string;
}

/**
 * `deepspike import-nir FILE.nir --out DIR [--dt S] [--name N] [--timesteps T] [--dataset D]
 * [--encoding E]`: reads a NIR graph and writes `DIR/<name>.snn.json` and `DIR/checkpoint/`, which
 * `deepspike evaluate` and `deepspike map` accept. Chain-shaped graphs of conv/linear/pool/flatten and
 * STBP-expressible LIF/IF neurons only; anything else is refused with the reason.
 */
export function registerImportNirCommand(program: Command): void {
  program
    .command('import-nir')
    .description('import a NIR graph as a DeepSpike model file and checkpoint')
    .argument('<file>', 'the .nir file')
    .requiredOption('--out <dir>', 'output directory')
    .option('--dt <seconds>', "step dt to discretise neurons at (default: the file's metadata, else 1e-4)")
    .option('--name <name>', 'model name (default: from the file name)')
    .option('--timesteps <n>', "time steps T (default: the file's metadata T, else 10)")
    .option('--dataset <name>', 'dataset for training.dataset (needed by evaluate and map)')
    .option('--encoding <name>', 'input encoding: events (default) or direct')
    .action(async (file: string, flags: ImportFlags) => {
      const dt = flags.dt === undefined ? undefined : Number(flags.dt);
      if (dt !== undefined && !(dt > 0)) throw new CliError(`deepspike import-nir: --dt got "${flags.dt}"; expected a positive number of seconds.`, 2);
      requirePath('import-nir', '<file>', file, 'file', 'a NIR graph (.nir, HDF5)');
      await initBackend(undefined, { log: () => {} });
      await loadInstalledPlugins();
      const { graph, warnings } = await importNIR(file, dt === undefined ? {} : { dt });
      for (const w of warnings) console.error(`import-nir: ${w}`);
      const name = (flags.name ?? graph.name).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'imported';
      const timesteps = intFlag('import-nir', '--timesteps', flags.timesteps) ?? (typeof graph.metadata.T === 'number' ? graph.metadata.T : 10);
      const { spec, weights } = graphToSpec(graph, { name, timesteps, encoding: flags.encoding, dataset: flags.dataset });
      const out = resolve(flags.out);
      mkdirSync(out, { recursive: true });
      const specFile = join(out, `${name}.snn.json`);
      writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`);
      const validated = await validateModelFile(specFile);
      const model = buildFromSpec(validated);
      try {
        assignSpecWeights(model, weights);
        const params = model.namedParameters();
        await saveCheckpoint(join(out, 'checkpoint'), {
          weights: params,
          optimizer: new Map(),
          state: {
            step: 0, epoch: 0, loader: { epoch: 0, position: 0, seed: 0 }, optimizer: { name: 'none', iterations: 0 }, schedule: { name: 'constant', position: 0 },
            seed: 0, specHash: hashSpec(validated), spec: validated, backend: 'cpu', extra: { importedFrom: resolve(file), dt: graph.metadata.dt },
          },
        });
        console.log(`import-nir: wrote ${specFile} and ${join(out, 'checkpoint')} (${weights.length} weight layers)`);
      } finally {
        model.dispose();
      }
    });
}
