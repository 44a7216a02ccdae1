// Walkthrough 3: map a trained model onto a neuromorphic chip and check the integer simulation.
import { join } from 'node:path';
import { FileSystemHandler, installPlugin, registry } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import { createLoader, openMnist } from '@deepspike/datasets';
import { validateModelFile } from '@deepspike/dsl';
import { deepspikePlugin as neuromorphicPlugin, disposeBatches, mapModel, takeSamples, type LabelledBatch, type MappingReport, type RunnableModel } from '@deepspike/neuromorphic';
import { findCheckpoint } from '@deepspike/train';

export interface MapToChipOptions {
  readonly modelFile: string;
  /** A run directory written by train() (walkthrough 1) or `deepspike train`. */
  readonly run: string;
  /** Test samples the float model and the chip's integer simulation are compared on. */
  readonly verify: number;
}

export async function mapToChip(options: MapToChipOptions): Promise<MappingReport> {
  installPlugin(neuromorphicPlugin); // the chip targets: loihi2, truenorth, speck, ...
  const spec = await validateModelFile(options.modelFile);
  const checkpoint = await findCheckpoint(options.run);
  if (!checkpoint) throw new Error(`mapToChip: no checkpoint under ${options.run}; train first (walkthrough 1).`);
  // The trained network: built from the spec, weights and tdBN statistics from the checkpoint.
  const model = buildModel(spec, { seed: spec.training?.seed });
  await model.loadWeights(new FileSystemHandler(join(checkpoint, 'weights')));
  model.setTraining(false);
  // A few normalised test samples, as the trainer's loader gives them.
  const batches: LabelledBatch[] = [];
  const loader = createLoader(await openMnist(), { split: 'test', batchSize: options.verify, shuffle: false, seed: 0 });
  for await (const b of loader) {
    batches.push(takeSamples(b, options.verify));
    break;
  }
  // Fold tdBN into the weights, quantise to the chip's bits, partition, place, estimate energy, and
  // run the integer event-driven simulator against the float model.
  const chip = registry.get('target', 'loihi2').create({});
  try {
    const { report } = mapModel(model as unknown as RunnableModel, {
      inputShape: spec.input.shape, readout: spec.readout ?? 'membrane', chip, bits: 8, fold: 'auto', batches, modelName: spec.name,
    });
    return report;
  } finally {
    disposeBatches(batches);
    model.dispose();
  }
}
