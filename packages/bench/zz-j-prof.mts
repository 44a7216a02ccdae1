import { saccadeFrames } from './src/saccade/generator.ts';
const img = new Float32Array(784); for (let i=0;i<784;i++) img[i] = Math.random() < 0.2 ? 1 : 0;
for (let r = 0; r < 3; r++) { const t0 = performance.now(); for (let i = 0; i < 200; i++) saccadeFrames(img); console.log('ms/sample', (performance.now() - t0) / 200); }
