import * as tf from '@tensorflow/tfjs-core';

/**
 * Makes the active backend's first tensor with tf.js's warnings off, then restores them.
 *
 * tf.js's cpu backend (`MathBackendCPU`, which deepspike-native extends) prints "Hi, looks like you
 * are running TensorFlow.js in Node.js. To speed things up dramatically, install our node backend"
 * through `backend_util.warn` on the first `write` of each backend instance when the `IS_NODE` flag
 * is set. `warn` is silent while the `PROD` flag is true (what `tf.enableProdMode()` sets), so the
 * first write happens here under `PROD` and the flag goes back to its value: the advice is already in
 * DeepSpike's own start-up line (which backend runs and why the ones before it were skipped), and
 * later tf.js warnings still show.
 */
export function makeFirstTensorQuietly(): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.dispose(tf.zeros([1]));
  } finally {
    env.set('PROD', prod);
  }
}
