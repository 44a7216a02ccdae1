import * as tf from '@tensorflow/tfjs-core';
import { createLoader } from '@deepspike/datasets';
import { writeReport } from '../report/report.js';
import { formatDuration } from './format-duration.js';
import { recordRaster } from './monitor.js';
import { runSettings } from './run-settings.js';
import { samplesPerSec, type TrainingSession } from './session.js';
import type { TrainResult } from './train.js';

/** Writes report.html (with a spike raster of one test sample); returns its path, or null when off. */
async function report(s: TrainingSession): Promise<string | null> {
  if (!(s.options.report ?? true) || (s.dp && !s.dp.writes)) return null;
  let raster = {};
  const testLoader = createLoader(s.dataset, { split: 'test', batchSize: 1 });
  for await (const b of testLoader) {
    s.model.setTraining(false);
    raster = recordRaster(s.model, b.x);
    s.model.setTraining(true);
    tf.dispose([b.x, b.y]);
    break;
  }
  const { settings, effectiveSpec } = runSettings(s.spec, s.options, s.config);
  return writeReport(s.folder.outDir, { title: `${s.spec.name} — DeepSpike training report`, metrics: s.metrics.read(), raster, spec: effectiveSpec, settings });
}

/** Ends the session: the report, the closing log lines, the optimiser disposed; the caller gets the model. */
export async function finishRun(s: TrainingSession): Promise<TrainResult> {
  const trainRate = samplesPerSec(s); // before the report, which is not training time
  const reportPath = await report(s);
  for (const n of s.neurons.values()) n.recordRates = false;
  s.optimizer.dispose();
  const seconds = (performance.now() - s.started) / 1000;
  const { test } = s;
  if (test) s.log(`train: test accuracy ${(test.accuracy * 100).toFixed(2)}% (${test.samples} samples, loss ${test.loss.toFixed(4)}) after ${s.step} steps`);
  if (reportPath) s.log(`train: report ${reportPath}`);
  s.log(`train: took ${formatDuration(seconds)} (checkpoint ${s.lastCheckpoint})`);
  return {
    outDir: s.folder.outDir,
    // The loop always ends with a checkpoint, so it is set here.
    checkpoint: s.lastCheckpoint as string,
    steps: s.step,
    epochs: s.loader.state().epoch,
    test,
    seconds,
    reportPath,
    metricsPath: s.metrics.path,
    samplesPerSec: trainRate,
    model: s.model,
  };
}
