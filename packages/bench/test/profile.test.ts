import { expect } from 'chai';
import { nativeAvailable } from '@deepspike/backend-native';
import { kernelBytes, kernelFlops, messages, opClass, profileTable, runProfile } from '@deepspike/bench';

const FAST = nativeAvailable() ? 'deepspike-native' : 'cpu';

describe('bench profile: per-kernel time, flops and paths of a training step', () => {
  it('counts dense multiply-add flops of convs (all three directions) and matmuls from their shapes', () => {
    // 3x3 conv 32 -> 64 on [256, 14, 14]: 2 * (256*14*14*64) * 9 * 32.
    const conv = 2 * 256 * 14 * 14 * 64 * 9 * 32;
    expect(kernelFlops('Conv2D', [[256, 14, 14, 32], [3, 3, 32, 64]], [[256, 14, 14, 64]])).to.equal(conv);
    expect(kernelFlops('Conv2DBackpropInput', [[256, 14, 14, 64], [3, 3, 32, 64]], [[256, 14, 14, 32]])).to.equal(conv);
    expect(kernelFlops('Conv2DBackpropFilter', [[256, 14, 14, 32], [256, 14, 14, 64]], [[3, 3, 32, 64]])).to.equal(conv);
    // Strided conv: the output's pixels count, not the input's.
    expect(kernelFlops('Conv2D', [[1, 8, 8, 4], [3, 3, 4, 2]], [[1, 4, 4, 2]])).to.equal(2 * 16 * 2 * 9 * 4);
    // [256, 3136] x [3136, 10], and the transposed gradient forms (K read from a's size).
    expect(kernelFlops('BatchMatMul', [[1, 256, 3136], [1, 3136, 10]], [[1, 256, 10]])).to.equal(2 * 256 * 10 * 3136);
    expect(kernelFlops('BatchMatMul', [[1, 256, 3136], [1, 256, 10]], [[1, 3136, 10]])).to.equal(2 * 3136 * 10 * 256);
    expect(kernelFlops('Add', [[4], [4]], [[4]])).to.equal(null);
  });

  it('counts the least memory traffic of a call (operands and output once, float32)', () => {
    expect(kernelBytes('Conv2D', [[256, 28, 28, 1], [3, 3, 1, 32]], [[256, 28, 28, 32]])).to.equal(4 * (256 * 784 + 9 * 32 + 256 * 784 * 32));
    expect(kernelBytes('Conv2DBackpropFilter', [[256, 14, 14, 32], [256, 14, 14, 64], [4]], [[3, 3, 32, 64]])).to.equal(4 * (256 * 196 * 96 + 9 * 32 * 64));
    expect(kernelBytes('BatchMatMul', [[1, 256, 3136], [1, 3136, 10]], [[1, 256, 10]])).to.equal(4 * (256 * 3136 + 3136 * 10 + 2560));
    expect(kernelBytes('Add', [[4], [4]], [[4]])).to.equal(null);
  });

  it('classes kernels by what they do', () => {
    expect(['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', '_FusedMatMul', 'DeepSpikeTdBNAddLIF', 'DeepSpikeLIFGradSurrogate', 'AvgPoolGrad', 'Tile'].map(opClass)).to.deep.equal([
      'conv forward', 'conv input gradient', 'conv filter gradient', 'matmul', 'tdBN+LIF', 'LIF', 'pooling', 'other kernels',
    ]);
  });

  it('profiles the mnist step: every conv and matmul with its flops; class times add up to the kernels; the optimiser apart', async function () {
    this.timeout(120_000);
    const r = await runProfile({ workload: 'mnist', backend: FAST, warmup: 0, steps: 1, profiled: 1, batch: 2 });
    const calls = (c: string) => r.classes.find((k) => k.opClass === c)?.calls;
    // Two convs forward and filter gradient, one input gradient (the image needs none), the fc layer's
    // matmul forward and its two gradients; one optimiser update per trainable variable at least.
    expect([calls('conv forward'), calls('conv input gradient'), calls('conv filter gradient'), calls('matmul')]).to.deep.equal([2, 1, 2, 3]);
    expect(calls('optimiser')).to.be.at.least(1);
    const conv2 = r.layers.find((k) => k.kernel === 'Conv2D' && k.inputShapes[1]?.[2] === 32);
    // T=4 x batch 2 = 8 images of 14 x 14, 3x3 32 -> 64.
    expect(conv2?.gflop).to.be.closeTo((2 * 8 * 14 * 14 * 64 * 9 * 32) / 1e9, 1e-4);
    const sum = r.classes.filter((c) => c.opClass !== 'outside kernels').reduce((a, c) => a + c.ms, 0);
    expect(sum).to.be.closeTo(r.kernelMs, 0.01 * r.classes.length);
    expect(r.outsideMs).to.be.closeTo(Math.max(0, r.stepMs - r.kernelMs), 0.01);
    if (FAST === 'deepspike-native') {
      expect(r.fmaPeak?.gflops).to.be.greaterThan(0);
      expect(r.memoryBandwidth?.gbps).to.be.greaterThan(0);
      // The roofline of every counted call: min(peak, bandwidth x intensity), and the call's share of it.
      for (const k of r.layers) {
        const bytes = kernelBytes(k.kernel, k.inputShapes, [k.outputShape]) as number;
        const roof = Math.min(r.fmaPeak!.gflops, (r.memoryBandwidth!.gbps * (k.gflop as number) * 1e9) / bytes);
        // (k.gflop is rounded to 1e-4 GFLOP: tiny test calls carry ~1 % of rounding)
        expect(k.rooflineGflops, k.kernel).to.be.closeTo(roof, 0.1 + roof * 0.02);
        if (k.gflops !== null) expect(k.rooflineFraction, k.kernel).to.be.closeTo(k.gflops / roof, 0.01 + (k.gflops / roof) * 0.01);
      }
      // Each conv forward / filter / input gradient is paired with how it ran; the image and pooled
      // spikes are not binary. The 3x3 32 -> 64 conv and both its gradients take Winograd, the image
      // layer (1 channel) the GEMM paths.
      const traced = r.layers.filter((k) => k.kernel.startsWith('Conv2D'));
      expect(traced.map((k) => [k.kernel, k.path])).to.deep.equal([
        ['Conv2D', 'dense'], ['Conv2D', 'winograd'], ['Conv2DBackpropInput', 'winograd'], ['Conv2DBackpropFilter', 'winograd'], ['Conv2DBackpropFilter', 'dense'],
      ]);
      // x of the forwards and filter gradients (dY of the input gradient may be all zeros here).
      expect(traced.filter((k) => k.kernel !== 'Conv2DBackpropInput').map((k) => k.inputDensity)).to.deep.equal([null, null, null, null]);
    } else {
      expect(r.fmaPeak).to.equal(null);
      expect(r.memoryBandwidth).to.equal(null);
    }
    const table = profileTable(r);
    expect(table).to.contain('| conv filter gradient | 2 |').and.contain('| outside kernels |');
  });

  it('rejects bad counts with the flag named', async () => {
    let err: unknown;
    try {
      await runProfile({ workload: 'mnist', profiled: 0 });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.contain(messages.badCount('--profiled', 0, 1));
  });
});
