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
  const { model } = s;
  const lr = s.schedule.lr(s.step);
  let out: Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    model.resetState();
    const o = model.forward(x);
    out = tf.keep(o);
    return s.loss.compute(o, y);
  }, s.varList);
  const named = new Map<string, Tensor>();
  for (const [vn, g] of Object.entries(grads)) named.set(s.varNames.get(vn) ?? vn, g);
  const check = tf.tidy(() => {
    let sq: Tensor = tf.scalar(0);
    for (const g of named.values()) sq = tf.add(sq, tf.sum(tf.square(g)));
    return tf.stack([value, sq]);
  });
  const [lossValue, gradSq] = check.dataSync() as unknown as [number, number];
  check.dispose();
  if (!Number.isFinite(lossValue) || !Number.isFinite(gradSq)) {
    const culprit = findNonFinite(model, x, named);
    tf.dispose([value, out!, x, y, ...named.values()]);
    throw new NonFiniteLossError(messages.nonFinite(s.step + 1, lossValue, culprit, s.lastCheckpoint), s.step + 1, culprit, s.lastCheckpoint);
  }
  let use = named;
  if (s.config.clipGradNorm !== undefined) use = clipByGlobalNorm(named, s.config.clipGradNorm).grads;
  s.optimizer.step(s.params, use, lr);
  const n = y.shape[0] as number;
  s.window.correct += countCorrect(out!, y);
  s.window.loss += lossValue * n;
  s.window.samples += n;
  s.sessionSamples += n;
  tf.dispose([value, out!, x, y, ...named.values(), ...(use === named ? [] : use.values())]);
  s.step++;
  const { step } = s;
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
