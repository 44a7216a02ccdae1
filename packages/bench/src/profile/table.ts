import type { ProfileResult } from './run.js';

const num = (v: number | null, d = 1): string => (v === null ? '' : v.toFixed(d));
const pct = (v: number | null): string => (v === null ? '' : `${(v * 100).toFixed(1)} %`);
const shape = (s: readonly number[]): string => `[${s.join(',')}]`;

/** The profile as Markdown tables: the step by class of kernel, then every conv and matmul call. */
export function profileTable(r: ProfileResult): string {
  const peak = r.fmaPeak
    ? `FMA peak ${r.fmaPeak.gflops.toFixed(1)} GFLOP/s (${r.fmaPeak.threads} threads, ${r.fmaPeak.gflopsPerThread.toFixed(1)} per thread, ${r.fmaPeak.simd})`
    : 'FMA peak not measured (the native backend is not running)';
  const bw = r.memoryBandwidth ? `; memory ${r.memoryBandwidth.gbps.toFixed(1)} GB/s (STREAM triad, ${r.memoryBandwidth.threads} threads)` : '';
  const lines = [
    `${r.workload} (batch ${r.batch}) on ${r.backend}${r.native ? ` (${r.native.simd}, ${r.native.threads} threads)` : ''}: step ${r.stepMs.toFixed(1)} ms (${r.profiledStepMs.toFixed(1)} ms profiled), kernels ${r.kernelMs.toFixed(1)} ms; ${peak}${bw}`,
    '',
    '| kernels | calls | ms/step | share | GFLOP | GF/s | of FMA peak |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.classes.map((c) => `| ${c.opClass} | ${c.calls || ''} | ${c.ms.toFixed(1)} | ${pct(c.share)} | ${num(c.gflop, 3)} | ${num(c.gflops)} | ${pct(c.peakFraction)} |`),
    '',
    '| # | kernel | inputs | ms | GFLOP | GF/s | of FMA peak | least MB | roofline GF/s | of roofline | path | input density |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...r.layers.map((k) =>
      `| ${k.index} | ${k.kernel} | ${k.inputShapes.map(shape).join(' ')} | ${k.ms.toFixed(2)} | ${num(k.gflop, 3)} | ${num(k.gflops)} | ${pct(k.peakFraction)} | ${num(k.mb, 1)} | ${num(k.rooflineGflops)} | ${pct(k.rooflineFraction)} | ${k.path ?? ''} | ${k.inputDensity === undefined ? '' : k.inputDensity === null ? 'not binary' : pct(k.inputDensity)} |`),
  ];
  return lines.join('\n');
}
