import { readdirSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { disposeCheckpoint, loadCheckpoint, type CheckpointState } from '../checkpoint/checkpoint.js';
import { restoreLayerCounters } from './monitor.js';
import type { TrainingSession } from './session.js';

/**
 * Continues a session from its checkpoint: weights, optimiser slots and iterations, the loader's
 * position, the step, the elapsed time and the layers' counters; drops metrics and checkpoints
 * written after that step.
 */
export async function resumeSession(s: TrainingSession, resumeFrom: string, savedState: CheckpointState): Promise<void> {
  const loaded = await loadCheckpoint(resumeFrom, s.model.namedParameters());
  s.optimizer.loadState({ iterations: savedState.optimizer.iterations, tensors: loaded.optimizer });
  disposeCheckpoint(loaded);
  s.loader.restore(savedState.loader);
  s.step = savedState.step;
  s.elapsedBefore = Number(savedState.extra.elapsed ?? 0);
  restoreLayerCounters(s.model, (savedState.extra.layerCounters ?? {}) as Record<string, number>);
  s.lastCheckpoint = resumeFrom;
  s.metrics.truncateAfter(s.step);
  if (s.dp && !s.dp.writes) {
    s.log(`train: resumed ${s.spec.name} from ${resumeFrom} (step ${s.step}, epoch ${savedState.epoch})`);
    return;
  }
  for (const d of readdirSync(s.folder.ckptDir)) {
    const m = /^step-(\d+)$/.exec(d);
    if (m && Number(m[1]) > s.step) await fs.rm(join(s.folder.ckptDir, d), { recursive: true, force: true });
  }
  s.log(`train: resumed ${s.spec.name} from ${resumeFrom} (step ${s.step}, epoch ${savedState.epoch})`);
}
