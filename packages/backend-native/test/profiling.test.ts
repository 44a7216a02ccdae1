import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import {
  measureFmaPeak,
  messages,
  nativeInfo,
  sampledSpikeDensity,
  setConvSpikeScanForAllSizes,
  traceConvPaths,
  type ConvPathRecord,
} from '@deepspike/backend-native';
import { setup, skipWithoutAddon, under } from './helpers.js';

describe('profiling hooks: the conv path trace and the FMA peak', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('sampledSpikeDensity: the nonzero fraction of a 1-in-61 sample, null for a non-binary sample', () => {
    const x = Float32Array.from({ length: 61 * 1000 }, (_, i) => (i % (61 * 4) === 0 ? 1 : 0));
    expect(sampledSpikeDensity(x)).to.equal(0.25);
    expect(sampledSpikeDensity(new Float32Array(0))).to.equal(0);
    x[61] = 0.5;
    expect(sampledSpikeDensity(x)).to.equal(null);
  });

  it('records each conv forward and filter gradient with its path and input density, in call order', () => {
    const records: ConvPathRecord[] = [];
    setConvSpikeScanForAllSizes(true);
    traceConvPaths(records);
    try {
      // About 10 % binary spikes (seeded).
      const spikes = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([2, 8, 8, 16], 0, 1, 'float32', 3), 0.1), 'float32'));
      const real = tf.randomUniform([2, 8, 8, 16], -1, 1, 'float32', 4);
      const w = tf.randomUniform([3, 3, 16, 8], -1, 1, 'float32', 5);
      under('deepspike-native', () => {
        // The forward on spikes, then its filter gradient (x = the spikes), then a forward on real values.
        const dw = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(spikes as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')))(w);
        const z = tf.conv2d(real as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
        return [dw, z];
      });
      tf.dispose([spikes, real, w]);
    } finally {
      traceConvPaths(null);
      setConvSpikeScanForAllSizes(false);
    }
    // The real-valued 3x3 16 -> 8 forward takes Winograd (native/winograd.cc).
    expect(records.map((r) => [r.kind, r.path])).to.deep.equal([['conv', 'spikes'], ['convFilter', 'spikes'], ['conv', 'winograd']]);
    expect(records[0]?.elements).to.equal(2 * 8 * 8 * 16);
    expect(records[0]?.density).to.be.within(0, 0.35);
    expect(records[2]?.density).to.equal(null);
  });

  it('stops recording once switched off', () => {
    const records: ConvPathRecord[] = [];
    traceConvPaths(records);
    traceConvPaths(null);
    under('deepspike-native', () => tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same'));
    expect(records).to.deep.equal([]);
  });

  it('measureFmaPeak reports the active instruction set and pool, a positive figure, and rejects bad durations', () => {
    const info = nativeInfo();
    const peak = measureFmaPeak(0.05);
    expect(peak.simd).to.equal(info.simd);
    expect(peak.threads).to.equal(info.threads);
    expect(peak.gflopsPerThread).to.be.greaterThan(0);
    // The total sums every thread's best burst, so it is at least the best one's.
    expect(peak.gflops).to.be.at.least(peak.gflopsPerThread);
    expect(() => measureFmaPeak(0)).to.throw(messages.badPeakSeconds(0));
  });
});
