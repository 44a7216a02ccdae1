import { runTrainingBench } from '@deepspike/bench';
const w = (process.argv[2] ?? 'mnist') as 'mnist';
const r = await runTrainingBench({ workload: w, backend: (process.argv[3] ?? 'deepspike-native') as 'deepspike-native', steps: Number(process.argv[4] ?? 5), warmup: 2, log: console.error });
console.log(JSON.stringify(r));
