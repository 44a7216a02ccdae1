import { join } from 'node:path';
import { DeepSpikeError, FileSystemHandler } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import type { RunnableModel } from '@deepspike/neuromorphic';
import { findCheckpoint } from '@deepspike/train';
import { CliError } from './cli-error.js';

/** Builds the runtime model of a spec with the run's seed (codegen's buildModel). */
export const buildFromSpec = (s: ModelSpec) => buildModel(s, { seed: s.training?.seed });

/** The model of a spec with the weights of a checkpoint (`<dir>/weights`), checked by name and shape. */
export async function loadTrainedModel(command: string, spec: ModelSpec, checkpoint: string): Promise<RunnableModel & ReturnType<typeof buildFromSpec>> {
  const dir = await findCheckpoint(checkpoint);
  if (!dir) throw new CliError(`deepspike ${command}: --checkpoint got "${checkpoint}", which holds no checkpoint; expected a run directory, its checkpoint/ or a step-* directory. Train the model first.`, 1);
  const model = buildFromSpec(spec);
  try {
    await model.loadWeights(new FileSystemHandler(join(dir, 'weights')));
  } catch (err) {
    model.dispose();
    if (err instanceof DeepSpikeError) throw new CliError(`deepspike ${command}: the checkpoint ${dir} does not match the model ${spec.name}: ${err.message}`, 1);
    throw err;
  }
  model.setTraining(false);
  return model as RunnableModel & ReturnType<typeof buildFromSpec>;
}
