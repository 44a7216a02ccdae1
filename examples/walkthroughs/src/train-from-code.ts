// Walkthrough 1: train a model from TypeScript, without the deepspike command.
import { deepspikePlugin as corePlugin, initBackend, installPlugin } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import { validateModelFile } from '@deepspike/dsl';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { train, type TrainResult } from '@deepspike/train';

export interface TrainFromCodeOptions {
  /** The model file, e.g. examples/mnist-tdbn/mnist-tdbn.snn.json. */
  readonly modelFile: string;
  /** Where the run goes (checkpoint/, metrics.jsonl). */
  readonly out: string;
  /** Optimiser steps (the walkthrough's test runs a handful). */
  readonly maxSteps: number;
}

export async function trainFromCode(options: TrainFromCodeOptions): Promise<TrainResult> {
  // 1. Pick the fastest backend here (prints e.g. "deepspike: backend deepspike-native").
  await initBackend();
  // 2. Register the neurons, surrogates and norms the model file names.
  for (const plugin of [corePlugin, surrogatePlugin, tdbnPlugin]) installPlugin(plugin);
  // 3. Validate the model file: every problem comes back with file:line:column and a JSON path.
  const spec = await validateModelFile(options.modelFile);
  // 4. Train. buildModel builds the same network the generated class would.
  return train({
    spec,
    buildModel: (s) => buildModel(s, { seed: s.training?.seed }),
    maxSteps: options.maxSteps,
    out: options.out,
    maxEvalBatches: 4, // evaluate on 4 test batches only: a quick look, not the test accuracy
    report: false,
    progress: 'log',
  });
}
