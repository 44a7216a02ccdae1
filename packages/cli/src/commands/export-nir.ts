import type { Command } from 'commander';
import { initBackend } from '@deepspike/core';
import { exportNIR, foldGraph, modelToGraph } from '@deepspike/neuromorphic';
import { CliError } from '../shared/cli-error.js';
import { loadModelSpec, pluginOption } from '../shared/plugin-flag.js';
import { backendFlag } from '../shared/flags.js';
import { requireCheckpointDir, requireModelFile } from '../shared/path-arg.js';
import { loadTrainedModel } from '../shared/trained-model.js';

/**
 * `deepspike export-nir <model> --checkpoint DIR --out FILE.nir [--dt S]`: the trained model, tdBN
 * folded into the weights, as a NIR graph (STBP LIF -> NIR LIF at dt; dt and T in metadata).
 */
export function registerExportNirCommand(program: Command): void {
  program
    .command('export-nir')
    .description('export a trained model as a NIR file (tdBN folded; STBP LIF as NIR LIF at --dt)')
    .argument('<model>', 'the model file (*.snn.json)')
    .requiredOption('--checkpoint <dir>', 'a run directory, its checkpoint/ directory or one step-* checkpoint')
    .requiredOption('--out <file>', 'the .nir file to write')
    .option('--dt <seconds>', 'the step dt the STBP recurrence is declared at', '0.001')
    .option('--backend <name>', 'compute backend')
    .addOption(pluginOption())
    .action(async (file: string, flags: { checkpoint: string; out: string; dt: string; backend?: string; plugin?: string[] }) => {
      const dt = Number(flags.dt);
      if (!(dt > 0) || !Number.isFinite(dt)) throw new CliError(`deepspike export-nir: --dt got "${flags.dt}"; expected a positive number of seconds (e.g. 0.001).`, 2);
      const backend = backendFlag('export-nir', flags.backend);
      requireModelFile('export-nir', file);
      requireCheckpointDir('export-nir', flags.checkpoint);
      const spec = await loadModelSpec(file, flags);
      await initBackend(backend, { log: () => {} });
      const model = await loadTrainedModel('export-nir', spec, flags.checkpoint);
      try {
        const g = modelToGraph(model, { inputShape: spec.input.shape, timesteps: model.timesteps, readout: spec.readout ?? 'membrane', name: spec.name });
        const { graph } = foldGraph(g, { mode: 'weights' });
        await exportNIR(graph, flags.out, { dt, timesteps: model.timesteps });
        console.log(`export-nir: wrote ${flags.out} (${graph.nodes.length} nodes, ${graph.edges.length} edges, dt ${dt} s, T ${model.timesteps})`);
      } finally {
        model.dispose();
      }
    });
}
