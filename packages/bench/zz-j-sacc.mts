import { saccadeFrames, saccadeEvents } from './src/saccade/generator.ts';
import { openMnist } from '@deepspike/datasets';
const ds = await openMnist();
const s = await ds.get('train', 0);
let t0 = performance.now();
for (let i = 0; i < 200; i++) saccadeFrames(s.x);
console.log('ms/sample', (performance.now() - t0) / 200);
const f = saccadeFrames(s.x);
let on = 0, off = 0; for (let i = 0; i < f.length; i++) { if (i % 2) on += f[i]; else off += f[i]; }
console.log('on', on, 'off', off, 'events', saccadeEvents(s.x).t.length);
// per frame sums
const plane = 34*34*2; for (let t=0;t<6;t++){ let a=0; for(let i=0;i<plane;i++) a+=f[t*plane+i]; process.stdout.write(a+' ');} console.log();
console.log(saccadeEvents(new Float32Array(784)).t.length);
