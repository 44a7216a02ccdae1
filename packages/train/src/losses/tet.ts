import * as tf from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { check } from '@deepspike/core';
import { messages } from '../messages.js';
import type { Loss, LossOptions } from './loss.js';
import { checkLabels, crossEntropy } from './loss.js';

/**
 * `tet`: Temporal Efficient Training (Deng et al., ICLR 2022) on per-step outputs `[T, N, C]`:
 * `L = (1 − λ)·(1/T) Σ_t CE(o[t], y) + λ·(1/T) Σ_t MSE(o[t], φ)`, the form of the TET reference code
 * (`(1 - lamb) * Loss_es + lamb * Loss_mmd`), where MSE averages over N and C and φ (`means`) is a
 * constant target.
 * @param options `lambda` λ in [0, 1] (default 0.001), `means` φ (default 1)
 */
export function tet(options: LossOptions = {}): Loss {
  const lambda = options.lambda ?? 0.001;
  const means = options.means ?? 1;
  check(typeof lambda === 'number' && lambda >= 0 && lambda <= 1, () => messages.lossOption('tet', 'lambda', lambda, 'a number in [0, 1]'));
  check(typeof means === 'number' && Number.isFinite(means), () => messages.lossOption('tet', 'means', means, 'a finite number'));
  return {
    name: 'tet',
    options: { lambda, means },
    compute(output: Tensor, labels: Tensor): Scalar {
      check(output.rank === 3, () => messages.tetRank(output.shape));
      return tf.tidy(() => {
        checkLabels('tet', output, labels);
        const [t] = output.shape as [number, number, number];
        let ce: Tensor = tf.scalar(0);
        for (const o of tf.unstack(output, 0)) ce = tf.add(ce, crossEntropy(o, labels));
        ce = tf.div(ce, t);
        if (lambda === 0) return ce as Scalar;
        const mse = tf.mean(tf.square(tf.sub(output, means)));
        return tf.add(tf.mul(ce, 1 - lambda), tf.mul(mse, lambda)) as Scalar;
      });
    },
  };
}
