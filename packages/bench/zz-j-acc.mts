import { initBackend } from '@deepspike/core';
import { runAccuracy } from './src/accuracy/run.ts';
await initBackend((process.argv[2] ?? 'deepspike-native') as 'cpu');
const ka = setInterval(() => {}, 1000);
const r = await runAccuracy({ model: process.argv[3]!, maxSteps: Number(process.argv[4] ?? 20), evalBatches: 4, out: '/tmp/jwork/acc-' + Date.now(), log: console.log });
console.log(JSON.stringify(r)); clearInterval(ka);
