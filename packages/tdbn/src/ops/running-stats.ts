import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';

/**
 * A norm's running statistics after one training batch: `r = (1 - momentum)*r + momentum*batch`,
 * with the unbiased batch variance `variance*n/(n - 1)` (`n` values behind each statistic). The
 * running and batch statistics have the same shape ([C], or [T, C] for per-step norms).
 */
export function updateRunningStatistics(
  runningMean: Variable, runningVar: Variable, mean: Tensor, variance: Tensor, n: number, momentum: number,
): void {
  tf.tidy(() => {
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(variance, (momentum * n) / (n - 1))));
  });
}
