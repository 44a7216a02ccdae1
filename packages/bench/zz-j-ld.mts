import { initBackend } from '@deepspike/core';
import { createLoader } from '@deepspike/datasets';
import { openMnistSaccade } from './src/saccade/dataset.ts';
await initBackend('cpu', { log: () => {} });
const ds = await openMnistSaccade({ limit: 256 });
console.log('opened', ds.inputShape);
const s = await ds.get('train', 0); console.log('sample', s.x.length, s.label);
const l = createLoader(ds, { split: 'train', batchSize: 64, shuffle: true, seed: 0 });
let k = 0;
for await (const b of l) { console.log('batch', k++, b.x.shape); b.x.dispose(); b.y.dispose(); }
console.log('done');
