import * as tf from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { Loss } from './loss.js';
import { checkLabels, meanOverTime } from './loss.js';

/**
 * `rate-mse`: the STBP paper's loss, the mean squared error between the firing rate and the
 * one-hot label, `L = (1/N) Σ_n ||mean_t o_n[t] − onehot(y_n)||² / C`
 * (averaged over samples and classes, as `torch.nn.MSELoss()` does).
 */
export function rateMse(): Loss {
  return {
    name: 'rate-mse',
    options: {},
    compute(output: Tensor, labels: Tensor): Scalar {
      return tf.tidy(() => {
        const rate = meanOverTime(output);
        checkLabels('rate-mse', rate, labels);
        const target = tf.oneHot(labels, rate.shape[1] as number);
        return tf.mean(tf.square(tf.sub(rate, target))) as Scalar;
      });
    },
  };
}
