import { initBackend } from '@deepspike/core';
import { runDepthAblation } from './src/depth/run.ts';
await initBackend((process.argv[2] ?? 'deepspike-native') as 'cpu');
const t0 = performance.now();
const r = await runDepthAblation({ depths: [Number(process.argv[3] ?? 8)], norms: (process.argv[4] ?? 'tdbn').split(','), residual: [process.argv[5] === 'res'], steps: Number(process.argv[6] ?? 2), evalSamples: 128, log: console.log });
console.log(JSON.stringify(r.results[0]).slice(0, 1500));
console.log('total s', (performance.now() - t0) / 1000);
