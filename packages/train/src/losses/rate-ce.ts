import * as tf from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { Loss } from './loss.js';
import { checkLabels, crossEntropy, meanOverTime } from './loss.js';

/**
 * `rate-ce`: cross-entropy on the time-averaged output, `L = CE(mean_t o[t], y)`.
 * With the membrane (mean-over-T of the last linear layer) readout the model already returns the
 * logits `[N, C]`; a spike-rate readout `[T, N, C]` is averaged over T here.
 */
export function rateCrossEntropy(): Loss {
  return {
    name: 'rate-ce',
    options: {},
    compute(output: Tensor, labels: Tensor): Scalar {
      return tf.tidy(() => {
        const logits = meanOverTime(output);
        checkLabels('rate-ce', logits, labels);
        return crossEntropy(logits, labels);
      });
    },
  };
}
