// One process of `deepspike bench distributed` (started by run.ts, under mpirun for N > 1): trains
// examples/mnist-tdbn for WARMUP + STEPS steps through the production path (train(), sharded loader,
// fused gradient all-reduce, SyncBatchNorm) and prints, on rank 0, one JSON line of per-step
// figures of the timed steps.
//   worker.(ts|js) <model file> <warmup> <steps> <out dir> [deterministic]
import { buildModel } from '@deepspike/codegen';
import { initBackend } from '@deepspike/core';
import { detectLaunch, initMpi, type Communicator } from '@deepspike/distributed';
import { validateModelFile } from '@deepspike/dsl';
import { train, type StepEvent } from '@deepspike/train';

const [file, warmupArg, stepsArg, out, mode] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const deterministic = mode === 'deterministic';
const warmup = Number(warmupArg);
const steps = Number(stepsArg);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function main(comm: Communicator | null): Promise<void> {
  const spec = await validateModelFile(file, { plugins: false });
  await initBackend('deepspike-native', { log: () => {} });
  const events: StepEvent[] = [];
  const statsAt: { seconds: number; bytes: number; calls: number }[] = [];
  const r = await train({
    spec,
    specFile: file,
    buildModel: (t) => buildModel(t, { seed: t.training?.seed }),
    maxSteps: warmup + steps,
    deterministic,
    out,
    evaluate: false,
    report: false,
    progress: 'silent',
    log: () => {},
    distributed: comm ? { comm, checkEvery: 0, timeImbalance: true } : undefined,
    onStep: (e) => {
      events.push(e);
      statsAt.push(comm ? { ...comm.allreduceStats } : { seconds: 0, bytes: 0, calls: 0 });
    },
  });
  r.model.dispose();
  // The same buffer all-reduced alone, ranks lined up by a barrier: the transfer cost without compute or imbalance.
  const bytes = events[events.length - 1]?.gradAllreduce?.bytes ?? 0;
  const alone: number[] = [];
  if (comm && bytes > 0) {
    const buf = new Float32Array(Math.round(bytes / Math.max(1, events[events.length - 1]!.gradAllreduce!.calls) / 4));
    for (let i = 0; i < 12; i++) {
      comm.barrier();
      const t0 = performance.now();
      comm.allreduce(buf, 'sum');
      alone.push(performance.now() - t0);
    }
  }
  if (comm && comm.rank !== 0) return;
  const timed = events.slice(warmup);
  const first = warmup > 0 ? events[warmup - 1]!.gradAllreduce : { calls: 0, bytes: 0, seconds: 0, waitSeconds: 0 };
  const last = timed[timed.length - 1]!.gradAllreduce;
  const all0 = warmup > 0 ? statsAt[warmup - 1]! : { seconds: 0, bytes: 0, calls: 0 };
  const all1 = statsAt[statsAt.length - 1]!;
  const n = timed.length;
  const grad = last && first
    ? { seconds: (last.seconds - first.seconds) / n, bytes: (last.bytes - first.bytes) / n, calls: (last.calls - first.calls) / n, wait: (last.waitSeconds - first.waitSeconds) / n }
    : { seconds: 0, bytes: 0, calls: 0, wait: 0 };
  const stats = { seconds: (all1.seconds - all0.seconds) / n - grad.seconds, bytes: (all1.bytes - all0.bytes) / n - grad.bytes, calls: (all1.calls - all0.calls) / n - grad.calls };
  const stepMs = median(timed.map((e) => e.seconds * 1000));
  const batch = spec.training!.batchSize!;
  console.log(JSON.stringify({
    ranks: comm?.size ?? 1,
    threadsPerRank: Number(process.env.DEEPSPIKE_THREADS ?? 0),
    deterministic,
    library: comm?.library ?? 'none',
    globalBatch: batch,
    steps: n,
    stepMs,
    gradAllreduceMs: grad.seconds * 1000,
    gradAllreduceBytes: grad.bytes,
    imbalanceWaitMs: grad.wait * 1000,
    allreduceAloneMs: alone.length > 0 ? median(alone.slice(2)) : 0,
    statsAllreduceMs: stats.seconds * 1000,
    statsAllreduceBytes: stats.bytes,
    statsAllreduceCalls: stats.calls,
    computeMs: stepMs - (grad.seconds + grad.wait + Math.max(0, stats.seconds)) * 1000,
    samplesPerSec: (batch * 1000) / stepMs,
  }));
}

const launch = detectLaunch();
const comm = launch.size > 1 ? initMpi('bench distributed') : null;
try {
  await main(comm);
} catch (err) {
  console.error(`bench distributed (rank ${comm?.rank ?? 0}): ${err instanceof Error ? err.stack : String(err)}`);
  if (comm) comm.abort(1);
  process.exit(1);
}
comm?.finalize();
