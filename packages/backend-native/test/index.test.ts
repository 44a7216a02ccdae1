import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { NATIVE_KERNELS, nativeInfo, registerNativeBackend, messages, ADDON_PATH } from '@deepspike/backend-native';
import { HAVE_ADDON, setup, skipWithoutAddon } from './helpers.js';

describe('@deepspike/backend-native: registration', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('registers every cpu kernel for deepspike-native, the native ones overriding', () => {
    const cpu = tf.getKernelsForBackend('cpu').map((k) => k.kernelName);
    const native = new Set(tf.getKernelsForBackend('deepspike-native').map((k) => k.kernelName));
    const missing = cpu.filter((k) => !native.has(k));
    expect(missing).to.deep.equal([]);
    for (const k of NATIVE_KERNELS) expect(tf.getKernel(k.kernelName, 'deepspike-native')?.kernelFunc).to.equal(k.kernelFunc);
  });

  it('initBackend("deepspike-native") activates it and reports the SIMD level and threads', async () => {
    const report = await initBackend('deepspike-native', { log: () => {} });
    expect(report.backend).to.equal('deepspike-native');
    expect(tf.getBackend()).to.equal('deepspike-native');
    const info = nativeInfo();
    expect(['avx512', 'avx2', 'sse2', 'neon', 'vec128', 'scalar']).to.include(info.simd);
    expect(info.threads).to.be.greaterThanOrEqual(1);
    await initBackend('cpu', { log: () => {} });
  });

  it('keeps non-native kernels working (a cpu-only op gives the cpu result)', async () => {
    tf.setBackend('deepspike-native');
    const v = tf.tidy(() => tf.cumsum(tf.tensor1d([1, 2, 3])).dataSync());
    tf.setBackend('cpu');
    expect(Array.from(v)).to.deep.equal([1, 3, 6]);
  });

  it('registerNativeBackend is idempotent', () => {
    expect(() => registerNativeBackend()).not.to.throw();
  });
});

describe('@deepspike/backend-native: failure path', () => {
  it('names the addon path and the build command when the addon is missing', () => {
    const msg = messages.addonMissing(ADDON_PATH, 'no such file');
    expect(msg).to.contain('build/Release/deepspike_native.node');
    expect(msg).to.contain('npm run build:native -w @deepspike/backend-native');
    expect(msg).to.match(/^@deepspike\/backend-native: .*, got .*; expected .*\. /);
  });

  it('registerNativeBackend throws that message when the addon is absent (or succeeds when built)', () => {
    if (HAVE_ADDON) expect(() => registerNativeBackend()).not.to.throw();
    else expect(() => registerNativeBackend()).to.throw(/native addon is not built/);
  });
});
