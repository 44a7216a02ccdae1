/**
 * Child-process entry of `deepspike bench compare`: `node runner.js '<TrainingBenchOptions JSON>'`
 * runs one training benchmark in a fresh process (so peak RSS is per run) and prints the result
 * as one JSON line on stdout.
 */
import { runTrainingBench, type TrainingBenchOptions } from './training.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as TrainingBenchOptions;
const result = await runTrainingBench({ ...opts, log: (l) => process.stderr.write(`${l}\n`) });
process.stdout.write(`${JSON.stringify(result)}\n`);
