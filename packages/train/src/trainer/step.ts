import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Batch } from '@deepspike/datasets';
import { messages } from '../messages.js';
import { clipByGlobalNorm } from '../optimizers/clip.js';
import { countCorrect } from '../losses/loss.js';
import { findNonFinite } from './diagnose.js';
import { readFiringRates } from './monitor.js';
import { NonFiniteLossError } from './non-finite-error.js';
import { checkpoint, elapsed, type TrainingSession } from './session.js';

/**
 * One optimiser step on `batch`: forward, loss, gradients, a NaN/Inf check (naming the culprit
 * layer), optional clipping, the update, the metrics window, progress and step checkpoints.
 * @throws NonFiniteLossError on a NaN/Inf loss or gradient
 */
export async function trainStep(s: TrainingSession, batch: Batch, epoch: number): Promise<void> {
  const { x, y } = batch;
  const { model, dp } = s;
  const lr = s.schedule.lr(s.step);
  const n = y.shape[0] as number;
  // Data-parallel: this rank's mean loss weighted by its share of the global batch, so the sum of
  // the ranks' gradients is the gradient of the global batch's mean loss (exactly, whatever the split).
  const share = dp ? n / batch.globalSize : 1;
  let out: Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    model.resetState();
    const o = model.forward(x);
    out = tf.keep(o);
    const l = s.loss.compute(o, y);
    return share === 1 ? l : tf.mul(l, share);
  }, s.varList);
  let named = new Map<string, Tensor>();
  for (const [vn, g] of Object.entries(grads)) named.set(s.varNames.get(vn) ?? vn, g);
  const check = tf.tidy(() => {
    let sq: Tensor = tf.scalar(0);
    for (const g of named.values()) sq = tf.add(sq, tf.sum(tf.square(g)));
    return tf.stack([value, sq]);
  });
  let [lossValue, gradSq] = check.dataSync() as unknown as [number, number];
  check.dispose();
  let correct = countCorrect(out!, y);
  let samples = n;
  if (dp) {
    // One fused all-reduce: every gradient, then [loss, correct, samples, non-finite flag], so all
    // ranks agree on the step's metrics and on stopping for a NaN/Inf anywhere.
    const finite = Number.isFinite(lossValue) && Number.isFinite(gradSq) ? 0 : 1;
    const r = dp.allreduceGradients(named, s.gradOrder, [lossValue, correct, n, finite]);
    tf.dispose([...named.values()]);
    named = r.grads;
    [lossValue, correct, samples] = [r.extras[0] as number, r.extras[1] as number, r.extras[2] as number];
    gradSq = (r.extras[3] as number) > 0 ? NaN : gradSq;
  }
  if (!Number.isFinite(lossValue) || !Number.isFinite(gradSq)) {
    const culprit = findNonFinite(model, x, named);
    tf.dispose([value, out!, x, y, ...named.values()]);
    throw new NonFiniteLossError(messages.nonFinite(s.step + 1, lossValue, culprit, s.lastCheckpoint), s.step + 1, culprit, s.lastCheckpoint);
  }
  let use = named;
  if (s.config.clipGradNorm !== undefined) use = clipByGlobalNorm(named, s.config.clipGradNorm).grads;
  s.optimizer.step(s.params, use, lr);
  s.window.correct += correct;
  s.window.loss += lossValue * samples;
  s.window.samples += samples;
  s.sessionSamples += samples;
  tf.dispose([value, out!, x, y, ...named.values(), ...(use === named ? [] : use.values())]);
  s.step++;
  const { step } = s;
  if (dp) {
    // Without SyncBatchNorm each rank's running statistics follow its own shard: rank 0's are
    // broadcast every step (DDP's broadcast_buffers), so the ranks stay identical.
    if (!dp.syncBatchStats) dp.broadcastParameters(s.buffers);
    if (dp.checkEvery > 0 && (step % dp.checkEvery === 0 || step === s.totalSteps)) dp.checkWeights(s.model.namedParameters(), step);
  }
  const logNow = step % (s.options.logEvery ?? 50) === 0 || step === s.totalSteps;
  if (logNow) {
    const w = s.window;
    const secs = (performance.now() - w.t0) / 1000;
    s.shown = { loss: w.loss / w.samples, accuracy: w.correct / w.samples, samplesPerSec: w.samples / Math.max(secs, 1e-9) };
    s.metrics.append({ type: 'train', step, epoch, ...s.shown, lr, firingRates: readFiringRates(s.neurons), elapsed: elapsed(s) });
    s.window = { loss: 0, correct: 0, samples: 0, t0: performance.now() };
  }
  s.progress!.update({ epoch, epochs: s.config.epochs, step, ...s.shown }, logNow);
  if (s.ckptSteps !== undefined && step % s.ckptSteps === 0 && step < s.totalSteps) await checkpoint(s);
}
