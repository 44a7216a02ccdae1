/**
 * Benchmark (not a test): the dense 3x3 stride-1 convolutions of the training workloads on the
 * Winograd F(2x2, 3x3) path against the GEMM path (indirect GEMM; the input gradient as a forward
 * with the flipped filter), side by side in one run, on the addon directly (no tf.js dispatch).
 * Prints one JSON object on stdout (ms = median over --reps calls after one warm-up) and a table on
 * stderr; `maxRelErr` is max |winograd - gemm| / max |gemm|.
 *
 *   cd packages/backend-native && node --conditions=deepspike-source --import tsx bench/winograd.bench.ts [--reps 7] [--only mnist]
 */
import { loadAddon } from '@deepspike/backend-native';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const reps = Number(arg('reps', '7'));
const only = arg('only', '');

interface Case {
  name: string;
  /** forward: x [N, H, W, C] * w [3, 3, C, CO]; input: dx [N, H, W, C] from dy [N, H, W, CO] (pad 1, so OH = H). */
  kind: 'forward' | 'input';
  n: number;
  h: number;
  w: number;
  c: number;
  co: number;
}

const CASES: Case[] = [
  { name: 'cifar-resnet input gradient', kind: 'input', n: 128, h: 32, w: 32, c: 64, co: 64 },
  { name: 'cifar-resnet forward', kind: 'forward', n: 128, h: 32, w: 32, c: 64, co: 64 },
  { name: 'mnist forward', kind: 'forward', n: 256, h: 14, w: 14, c: 32, co: 64 },
  { name: 'mnist input gradient', kind: 'input', n: 256, h: 14, w: 14, c: 32, co: 64 },
];

function random(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    v[i] = (s / 4294967296) * 2 - 1;
  }
  return v;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const addon = loadAddon();
const rows = [];
for (const c of CASES) {
  if (only && !c.name.includes(only)) continue;
  // Same padding, stride 1: OH = H, OW = W.
  const geom = [c.n, c.h, c.w, c.c, 3, 3, c.h, c.w, c.co, 1, 1, 1, 1, 1, 1];
  const w = random(9 * c.c * c.co, 2).map((v) => v * 0.1);
  const input = random(c.n * c.h * c.w * (c.kind === 'forward' ? c.c : c.co), 1);
  const out = (): Float32Array => new Float32Array(c.n * c.h * c.w * (c.kind === 'forward' ? c.co : c.c));
  const run = (y: Float32Array): string => (c.kind === 'forward' ? addon.conv2d(geom, input, w, y) : addon.conv2dBackpropInput(geom, input, w, y));
  const time = (winograd: boolean): { ms: number; algo: string; y: Float32Array } => {
    addon.setWinograd(winograd);
    const y = out();
    const algo = run(y);
    const ts: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      run(y);
      ts.push(performance.now() - t0);
    }
    return { ms: median(ts), algo, y };
  };
  const gemm = time(false);
  const wino = time(true);
  let maxErr = 0;
  let maxRef = 0;
  for (let i = 0; i < gemm.y.length; i++) {
    maxErr = Math.max(maxErr, Math.abs((gemm.y[i] as number) - (wino.y[i] as number)));
    maxRef = Math.max(maxRef, Math.abs(gemm.y[i] as number));
  }
  const flops = 2 * c.n * c.h * c.w * c.c * c.co * 9;
  rows.push({
    case: c.name, shape: `${c.kind === 'forward' ? 'x' : 'dy'} [${c.n},${c.h},${c.w},${c.kind === 'forward' ? c.c : c.co}] -> ${c.kind === 'forward' ? c.co : c.c} channels`,
    gemmMs: round(gemm.ms), winogradMs: round(wino.ms), speedup: round(gemm.ms / wino.ms),
    gemmGflops: round(flops / gemm.ms / 1e6, 1), winogradEffectiveGflops: round(flops / wino.ms / 1e6, 1),
    algos: [gemm.algo, wino.algo], maxRelErr: Number((maxErr / maxRef).toExponential(2)),
  });
}
addon.setWinograd(true);

function round(v: number, d = 2): number {
  return Number(v.toFixed(d));
}

const info = addon.info();
console.log(JSON.stringify({ simd: info.simd, threads: info.threads, reps, rows }, null, 2));
for (const r of rows)
  console.error(`${r.case.padEnd(30)} gemm ${r.gemmMs.toFixed(2).padStart(7)} ms  winograd ${r.winogradMs.toFixed(2).padStart(7)} ms  x${r.speedup.toFixed(2)}  err ${r.maxRelErr}`);
