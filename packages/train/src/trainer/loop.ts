import { formatDuration } from './format-duration.js';
import { Progress } from './progress.js';
import { checkpoint, elapsed, evaluate, type TrainingSession } from './session.js';
import { trainStep } from './step.js';

/** The run's opening log line: data, backend, schedule of steps, optimiser, loss, seed, checkpoints, folder. */
function announce(s: TrainingSession): void {
  const { config, dataset, ckptSteps } = s;
  s.log(
    `train: ${s.spec.name} on ${dataset.name} (${dataset.size('train')} train / ${dataset.size('test')} test samples), backend ${s.backend}, ` +
      `${config.epochs} epoch(s) × ${s.batchesPerEpoch} steps of ${config.batchSize}, ${s.optimizer.name} lr ${config.optimizer.lr}, loss ${s.loss.name}, seed ${config.seed}; ` +
      `checkpoint every ${config.checkpointEveryEpochs} epoch(s)${ckptSteps ? ` and every ${ckptSteps} steps` : ''} and at the end; out ${s.folder.outDir}`,
  );
  if (s.dp) {
    const { dp } = s;
    s.log(
      `train: data-parallel on ${dp.size} ranks (${dp.comm.library}): ${config.batchSize} samples per step shared ${shares(config.batchSize, dp.size)}, ` +
        `${dp.syncBatchStats ? 'synchronised batch statistics (SyncBatchNorm)' : 'per-rank batch statistics (no SyncBatchNorm)'}, ` +
        `weights compared every ${dp.checkEvery || '∞'} steps; rank 0 writes`,
    );
  }
}

/** `32 + 32`, `3 + 4 + 3`: the samples each rank takes from a global batch. */
function shares(batch: number, size: number): string {
  const out: number[] = [];
  for (let r = 0; r < size; r++) out.push(Math.floor(((r + 1) * batch) / size) - Math.floor((r * batch) / size));
  return out.length > 8 ? `${Math.min(...out)}-${Math.max(...out)} per rank` : out.join(' + ');
}

/**
 * Steps through epochs until `totalSteps`: evaluation at each epoch end and at the end, epoch
 * checkpoints every `checkpointEveryEpochs`, and always a checkpoint of the last step.
 */
export async function runLoop(s: TrainingSession): Promise<void> {
  announce(s);
  const progress = new Progress(s.dp && !s.dp.writes ? 'silent' : (s.options.progress ?? 'auto'), s.totalSteps, s.log);
  s.progress = progress;
  s.window = { loss: 0, correct: 0, samples: 0, t0: performance.now() };
  s.shown = { loss: NaN, accuracy: 0, samplesPerSec: 0 };
  // Rank 0 evaluates for the job (inference uses running statistics: no collective).
  const evaluating = (s.options.evaluate ?? true) && (s.dp === null || s.dp.writes);
  progress.start(s.step, { epoch: s.loader.state().epoch, epochs: s.config.epochs, step: s.step, ...s.shown, loss: NaN });
  s.loopStart = performance.now();
  try {
    while (s.step < s.totalSteps) {
      const epoch = s.loader.state().epoch;
      for await (const batch of s.loader) {
        const t0 = performance.now();
        await trainStep(s, batch, epoch);
        s.options.onStep?.({ step: s.step, seconds: (performance.now() - t0) / 1000, gradAllreduce: s.dp ? { ...s.dp.gradStats } : null });
        if (s.step >= s.totalSteps) break;
      }
      const st = s.loader.state();
      const epochDone = st.position === 0 && st.epoch > epoch;
      if (epochDone || s.step >= s.totalSteps) {
        if (evaluating) {
          const test = (s.test = await evaluate(s));
          progress.note(`epoch ${epoch + 1}: test accuracy ${(test.accuracy * 100).toFixed(2)}% loss ${test.loss.toFixed(4)} (step ${s.step}, ${formatDuration(elapsed(s))})`);
        }
        // training.checkpointEvery is in epochs (st.epoch = epochs completed); the end of the run always saves.
        if (s.step >= s.totalSteps || (epochDone && st.epoch % s.config.checkpointEveryEpochs === 0)) await checkpoint(s);
      }
    }
    // A resumed run that was already complete still reports its test accuracy.
    if (s.test === null && evaluating) s.test = await evaluate(s);
    if (s.lastCheckpoint === null || !s.lastCheckpoint.endsWith(String(s.step).padStart(8, '0'))) await checkpoint(s);
  } finally {
    progress.stop();
  }
}
