import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '@deepspike/core';
import { messages } from './messages.js';
import type { TrainingBenchOptions, TrainingBenchResult } from './training.js';
import { WORKLOADS, type FirstLayer, type WorkloadName } from './workloads.js';

/** Options of {@link runCompare}. */
export interface CompareOptions {
  readonly workloads?: readonly WorkloadName[];
  /** Our backends to run (default deepspike-native). */
  readonly backends?: readonly BackendName[];
  readonly steps?: number;
  readonly warmup?: number;
  /**
   * How our runs do the first conv (default ['once']); with both, each round runs ours once per
   * variant (the PyTorch reference always runs it on the copies).
   */
  readonly firstLayers?: readonly FirstLayer[];
  /** Rounds of (ours, PyTorch) per workload, alternating (default 1). */
  readonly rounds?: number;
  /** Override the batch of our runs (tests); PyTorch always runs the reference batch. */
  readonly batch?: number;
  /** Python with torch (default /usr/bin/python3). */
  readonly python?: string;
  /**
   * Path of torch_snn_bench.py (default: `$DEEPSPIKE_TORCH_BENCH`, else the repository's
   * `testdata/reference/torch_snn_bench.py`, found from this package's folder, then from the working directory).
   */
  readonly torchScript?: string;
  /** torch intra-op threads (default: the cores). */
  readonly threads?: number;
  readonly log?: (line: string) => void;
}

/** One row of the comparison. */
export interface CompareRow {
  readonly workload: WorkloadName;
  readonly backend: string;
  /** How our run did the first conv. */
  readonly firstLayer: FirstLayer;
  readonly medianMs: number;
  readonly samplesPerSec: number;
  readonly peakRssMb: number;
  /** PyTorch's median ms/step in the same round (null when torch is unavailable). */
  readonly torchMs: number | null;
  readonly torchPeakRssMb: number | null;
  /** ours / PyTorch step time (lower is better). */
  readonly ratio: number | null;
}

/** Result of {@link runCompare}: rows plus the raw results and why torch was skipped, if it was. */
export interface CompareResult {
  readonly rows: CompareRow[];
  readonly ours: TrainingBenchResult[];
  readonly torch: Array<Record<string, unknown>>;
  readonly torchSkipped?: string;
}

/** glibc malloc settings of torch_snn_bench.py, used for both sides. */
export const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '4294967296' } as const;

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssMb: number | null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Child> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', (e) => res({ code: -1, stdout, stderr: stderr + String(e), peakRssMb: null }));
    p.on('close', (code) => res({ code, stdout, stderr, peakRssMb: null }));
  });
}

function lastJson(text: string): Record<string, unknown> | null {
  const lines = text.trim().split('\n').filter((l) => l.startsWith('{'));
  const l = lines[lines.length - 1];
  return l ? (JSON.parse(l) as Record<string, unknown>) : null;
}

/** Finds torch_snn_bench.py (see {@link CompareOptions.torchScript}). */
export function findTorchScript(explicit?: string): { path: string | null; tried: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const tried = [
    explicit,
    process.env.DEEPSPIKE_TORCH_BENCH,
    // packages/bench/{src,dist}/compare.* -> the repository root
    resolve(here, '..', '..', '..', 'testdata', 'reference', 'torch_snn_bench.py'),
    resolve(process.cwd(), 'testdata', 'reference', 'torch_snn_bench.py'),
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return { path: tried.find((p) => existsSync(p)) ?? null, tried };
}

function ourChild(opts: TrainingBenchOptions): [string, string[]] {
  const self = fileURLToPath(import.meta.url);
  const fromSource = self.endsWith('.ts');
  const runner = join(dirname(self), fromSource ? 'runner.ts' : 'runner.js');
  const pre = fromSource ? ['--import', 'tsx', '--conditions', 'deepspike-source'] : [];
  return [process.execPath, [...pre, runner, JSON.stringify(opts)]];
}

/**
 * Runs our backends and the PyTorch reference on the same workloads in one run, alternating
 * (per workload and round: ours, then PyTorch), each in its own process, and returns the ratios.
 */
export async function runCompare(opts: CompareOptions = {}): Promise<CompareResult> {
  const log = opts.log ?? (() => {});
  const workloads = opts.workloads ?? WORKLOADS;
  const backends = opts.backends ?? ['deepspike-native'];
  const steps = opts.steps ?? 20;
  const warmup = opts.warmup ?? 3;
  const rounds = opts.rounds ?? 1;
  const python = opts.python ?? '/usr/bin/python3';
  const script = findTorchScript(opts.torchScript);
  let torchSkipped: string | undefined;
  if (!script.path) torchSkipped = messages.torchScriptMissing(script.tried);
  else {
    const probe = await run(python, ['-c', 'import torch; print(torch.__version__)'], process.env);
    if (probe.code !== 0) torchSkipped = messages.torchMissing(python, (probe.stderr.trim().split('\n').pop() ?? '').slice(0, 120) || `exit ${probe.code}`);
  }
  if (torchSkipped) log(torchSkipped);
  const ours: TrainingBenchResult[] = [];
  const torch: Array<Record<string, unknown>> = [];
  const rows: CompareRow[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const workload of workloads) {
      const mine: TrainingBenchResult[] = [];
      for (const backend of backends) {
        for (const firstLayer of opts.firstLayers ?? ['once']) {
          log(`round ${r + 1}: ${workload} on ${backend} (first conv ${firstLayer}) ...`);
          const [cmd, args] = ourChild({ workload, backend, steps, warmup, firstLayer, ...(opts.batch ? { batch: opts.batch } : {}) });
          // glibc keeps freed tensor memory (the settings torch_snn_bench.py uses for PyTorch too), so
          // each op's output does not page-fault fresh zero pages.
          const c = await run(cmd, args, { ...MALLOC_ENV, ...process.env });
          const res = lastJson(c.stdout) as TrainingBenchResult | null;
          if (c.code !== 0 || !res) throw new Error(messages.childFailed(`${workload} on ${backend}`, c.code, c.stderr.trim().split('\n').slice(-2).join(' / ')));
          ours.push(res);
          mine.push(res);
        }
      }
      let t: Record<string, unknown> | null = null;
      if (!torchSkipped && script.path) {
        log(`round ${r + 1}: ${workload} on PyTorch ...`);
        const threads = String(opts.threads ?? (await import('node:os')).availableParallelism());
        // Run the script under runpy so its peak RSS can be printed at exit; the malloc settings it
        // would re-exec itself with are set here (same values), so it does not re-exec.
        const argv = [script.path, '--workload', workload, '--steps', String(steps), '--warmup', String(warmup), '--threads', threads];
        const wrapper =
          'import atexit, json, resource, runpy, sys\n' +
          'atexit.register(lambda: sys.stderr.write("PEAK_RSS_KB " + str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) + "\\n"))\n' +
          `sys.argv = ${JSON.stringify(argv)}\n` +
          'runpy.run_path(sys.argv[0], run_name="__main__")\n';
        const env = { ...MALLOC_ENV, ...process.env };
        const tc = await run(python, ['-c', wrapper], env);
        t = lastJson(tc.stdout);
        const rss = /PEAK_RSS_KB (\d+)/.exec(tc.stderr);
        if (t && rss) t.peak_rss_mb = Math.round((Number(rss[1]) / 1024) * 10) / 10;
        if (tc.code !== 0 || !t) throw new Error(messages.childFailed(`PyTorch ${workload}`, tc.code, tc.stderr.trim().split('\n').slice(-2).join(' / ')));
        torch.push(t);
      }
      const torchMs = t ? (t.median_ms_per_step as number) : null;
      for (const res of mine) {
        rows.push({
          workload, backend: res.backend, firstLayer: res.firstLayer, medianMs: res.medianMs, samplesPerSec: res.samplesPerSec, peakRssMb: res.peakRssMb,
          torchMs, torchPeakRssMb: t && typeof t.peak_rss_mb === 'number' ? t.peak_rss_mb : null, ratio: torchMs ? Math.round((res.medianMs / torchMs) * 1000) / 1000 : null,
        });
      }
    }
  }
  return { rows, ours, torch, ...(torchSkipped ? { torchSkipped } : {}) };
}

/** The comparison as a Markdown table. */
export function compareTable(rows: readonly CompareRow[]): string {
  const head = '| workload | backend | first conv | ours ms/step | samples/s | peak RSS MiB | PyTorch ms/step | PyTorch peak RSS MiB | ours / PyTorch |';
  const sep = '|---|---|---|---:|---:|---:|---:|---:|---:|';
  const body = rows.map((r) =>
    `| ${r.workload} | ${r.backend} | ${r.firstLayer === 'once' ? 'once' : 'on T copies'} | ${r.medianMs.toFixed(1)} | ${r.samplesPerSec.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.torchMs === null ? 'n/a' : r.torchMs.toFixed(1)} | ${r.torchPeakRssMb === null ? 'n/a' : r.torchPeakRssMb.toFixed(0)} | ${r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`} |`);
  return [head, sep, ...body].join('\n');
}
