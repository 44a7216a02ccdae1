import { eventBenchGraph, spikeInputs } from '@deepspike/bench';
import { simulateInteger, validateGraph, evaluationOrder } from '@deepspike/neuromorphic';
const cpu = (f: () => void, n = 40) => { for (let i = 0; i < 5; i++) f(); const c0 = process.cpuUsage(); const t0 = performance.now(); for (let i = 0; i < n; i++) f(); const c = process.cpuUsage(c0); return [((c.user + c.system) / 1000 / n).toFixed(3), ((performance.now() - t0) / n).toFixed(3)]; };
const g = eventBenchGraph(0.1);
const ins = spikeInputs(4, 0.1, 100);
console.log('validate', cpu(() => validateGraph(g)));
console.log('order', cpu(() => evaluationOrder(g)));
for (const steps of [0, 1, 2, 4]) console.log(steps, cpu(() => simulateInteger(g, { input: ins }, { mode: 'event', steps })));
