import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { ADDON_PATH, nativeInfo, setNativeSimd, setNativeThreads, messages, spikePathCounts } from '@deepspike/backend-native';
import { closeness, rand, setup, skipWithoutAddon, under } from './helpers.js';

describe('native SIMD dispatch and threads', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });
  after(() => {
    try {
      setNativeSimd('auto');
      setNativeThreads(Number(process.env.DEEPSPIKE_THREADS) || availableParallelism());
    } catch {
      /* addon absent */
    }
  });

  const work = () => {
    const x = rand([3, 11, 13, 5], 1) as tf.Tensor4D;
    const w = rand([3, 3, 5, 37], 2) as tf.Tensor4D;
    const a = rand([97, 131], 3);
    const b = rand([131, 45], 4);
    const at = rand([131, 97], 5);
    const f = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 2, 'same')));
    const [dx, dw] = tf.grads(f)([x, w]);
    // A binary input large enough for the spike paths (forward and filter gradient, 37 output
    // channels: full vectors and a tail on every instruction set).
    const s = tf.cast(tf.less(rand([2, 40, 40, 24], 6, 0, 1), 0.1), 'float32') as tf.Tensor4D;
    const ws = rand([3, 3, 24, 37], 7) as tf.Tensor4D;
    const dws = tf.grad((q: tf.Tensor) => tf.sum(tf.square(tf.conv2d(s, q as tf.Tensor4D, 1, 'same'))))(ws);
    return [tf.conv2d(x, w, 1, 'same'), dx as tf.Tensor, dw as tf.Tensor, tf.matMul(a, b), tf.matMul(at, b, true, false), tf.conv2d(s, ws, 1, 'same'), dws].filter((t) => t.size > 0);
  };

  it('DEEPSPIKE_NATIVE_SIMD=off at start-up selects the portable scalar kernel', () => {
    const out = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(ADDON_PATH)}).info().simd)`], {
      env: { ...process.env, DEEPSPIKE_NATIVE_SIMD: 'off' },
      encoding: 'utf8',
    });
    expect(out.trim()).to.equal('scalar');
  });

  it('every instruction set gives the scalar results to float32 tolerance (conv, its gradients, matmul, the spike paths)', () => {
    const before = spikePathCounts.conv + spikePathCounts.convFilter;
    expect(setNativeSimd('off')).to.equal('scalar');
    const ref = under('deepspike-native', work);
    const seen = new Set<string>();
    for (const mode of ['128', 'avx2', 'avx512', 'auto']) {
      const got = setNativeSimd(mode);
      seen.add(got);
      const r = under('deepspike-native', work);
      r.forEach((v, k) => expect(closeness(v, ref[k]!, 1e-4, 1e-4), `${got} output ${k}`).to.be.at.most(1));
    }
    expect(seen.size).to.be.greaterThanOrEqual(1);
    expect(spikePathCounts.conv + spikePathCounts.convFilter - before, 'spike paths: 2 forwards and 1 filter gradient per mode').to.equal(3 * 5);
    setNativeSimd('auto');
  });

  it('1 thread and the full pool agree (partial sums only reorder float32 additions)', () => {
    setNativeThreads(1);
    const one = under('deepspike-native', work);
    setNativeThreads(2);
    const two = under('deepspike-native', work);
    one.forEach((v, k) => expect(closeness(v, two[k]!, 1e-4, 1e-4), `output ${k}`).to.be.at.most(1));
  });

  it('rejects an unknown SIMD mode and a bad thread count with the house messages', () => {
    expect(() => setNativeSimd('sse9')).to.throw(messages.badSimd('sse9'));
    expect(() => setNativeThreads(0)).to.throw(messages.badThreads(0));
  });
});
