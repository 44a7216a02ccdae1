import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { nativeAvailable } from '@deepspike/backend-native';
import { buildNet, compareTable, findTorchScript, messages, runCompare, runTrainingBench } from '@deepspike/bench';

// The pure-JS cpu backend takes seconds per step; use the native one when it is built.
const FAST = nativeAvailable() ? 'deepspike-native' : 'cpu';

describe('@deepspike/bench', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('builds the reference networks with the PyTorch parameter counts', () => {
    // conv weights + tdBN (lambda, beta) + linear weight and bias, as counted by torch's n_params.
    const mnist = 1 * 32 * 9 + 2 * 32 + 32 * 64 * 9 + 2 * 64 + 3136 * 10 + 10;
    const cifar = 3 * 64 * 9 + 2 * 64 + 4 * (64 * 64 * 9 + 2 * 64) + 4096 * 10 + 10;
    for (const [name, expected] of [['mnist', mnist], ['cifar-resnet', cifar]] as const) {
      const net = buildNet(name);
      const n = net.trainable.reduce((s, v) => s + v.size, 0);
      expect(n, name).to.equal(expected);
      tf.dispose([...net.trainable, ...net.buffers]);
    }
  });

  it('the first conv once and on the T copies give the same logits and loss, and gradients to float32 rounding', async () => {
    await initBackend(FAST, { log: () => {} });
    try {
      for (const name of ['mnist', 'cifar-resnet'] as const) {
        const once = buildNet(name, 'once');
        const copies = buildNet(name, 'copies');
        const x = tf.randomUniform([3, ...once.image], 0, 1, 'float32', 7);
        const onehot = tf.oneHot(tf.tensor1d([1, 2, 3], 'int32'), 10);
        const run = (net: typeof once) => tf.variableGrads(() => tf.losses.softmaxCrossEntropy(onehot, net.forward(x)) as tf.Scalar, net.trainable);
        const a = run(once);
        const b = run(copies);
        expect(a.value.dataSync()[0], `${name} loss`).to.equal(b.value.dataSync()[0]);
        const ga = Object.values(a.grads);
        const gb = Object.values(b.grads);
        expect(ga).to.have.length(gb.length);
        ga.forEach((g, i) => {
          const scale = tf.max(tf.abs(gb[i]!)).dataSync()[0] as number;
          expect(scale, `${name} gradient ${i} is not zero`).to.be.greaterThan(0);
          expect((tf.max(tf.abs(tf.sub(g, gb[i]!))).dataSync()[0] as number) / scale, `${name} gradient ${i}`).to.be.below(1e-4);
        });
        tf.dispose([x, onehot, a.value, b.value, ...ga, ...gb, ...once.trainable, ...once.buffers, ...copies.trainable, ...copies.buffers]);
      }
    } finally {
      await initBackend('cpu', { log: () => {} });
    }
  });

  it('forward gives rate logits [N, 10] with values in [0, 1] (mean spikes over T=4)', () => {
    const net = buildNet('mnist');
    const y = tf.tidy(() => net.forward(tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3)));
    expect(y.shape).to.deep.equal([2, 10]);
    for (const v of y.dataSync()) expect([0, 0.25, 0.5, 0.75, 1]).to.include(v);
    tf.dispose([y, ...net.trainable, ...net.buffers]);
  });

  it('times training steps and reports {workload, backend, medianMs, samplesPerSec, peakRssMb}; the loss falls', async () => {
    const before = tf.memory().numTensors;
    const r = await runTrainingBench({ workload: 'mnist', backend: FAST, steps: 3, warmup: 0, batch: 2 });
    expect(r.workload).to.equal('mnist');
    expect(r.backend).to.equal(FAST);
    expect(r.medianMs).to.be.greaterThan(0);
    // medianMs is rounded to 0.01 ms: compare relatively (a 13 ms step puts 0.05 samples/s in the rounding).
    expect(r.samplesPerSec).to.be.closeTo((2 / r.medianMs) * 1000, (2 / r.medianMs) * 1000 * 1e-3);
    expect(r.peakRssMb).to.be.greaterThan(10);
    expect(Number.isFinite(r.finalLoss)).to.equal(true);
    // No tensor may accumulate per step: 3 more steps leave the same count as 1.
    const mid = tf.memory().numTensors;
    await runTrainingBench({ workload: 'mnist', backend: FAST, steps: 1, warmup: 0, batch: 2 });
    const one = tf.memory().numTensors - mid;
    const mid2 = tf.memory().numTensors;
    await runTrainingBench({ workload: 'mnist', backend: FAST, steps: 4, warmup: 0, batch: 2 });
    expect(tf.memory().numTensors - mid2).to.equal(one);
    expect(mid - before).to.be.at.most(1);
  });

  it('rejects a bad workload and bad counts with the house messages', async () => {
    await expectReject(runTrainingBench({ workload: 'imagenet' as 'mnist' }), messages.badWorkload('imagenet'));
    await expectReject(runTrainingBench({ workload: 'mnist', steps: 0 }), messages.badCount('--steps', 0, 1));
  });

  it('compare runs ours in a child process and says why PyTorch was skipped', async function () {
    this.timeout(300000);
    const r = await runCompare({ workloads: ['mnist'], backends: [FAST], steps: 1, warmup: 0, batch: 2, python: '/nonexistent/python3', firstLayers: ['once', 'copies'] });
    expect(r.torchSkipped).to.match(/PyTorch reference skipped/);
    expect(r.rows.map((row) => row.firstLayer)).to.deep.equal(['once', 'copies']);
    expect(r.rows[0]!.ratio).to.equal(null);
    expect(compareTable(r.rows)).to.contain(`| mnist | ${FAST} | once |`).and.contain(`| mnist | ${FAST} | on T copies |`);
  });

  it("finds the PyTorch reference in the repository's testdata/reference; DEEPSPIKE_TORCH_BENCH and an explicit path come first", () => {
    const copy = fileURLToPath(new URL('../../../testdata/reference/torch_snn_bench.py', import.meta.url));
    const saved = process.env.DEEPSPIKE_TORCH_BENCH;
    try {
      delete process.env.DEEPSPIKE_TORCH_BENCH;
      expect(findTorchScript().path).to.equal(copy);
      process.env.DEEPSPIKE_TORCH_BENCH = import.meta.filename;
      expect(findTorchScript().path).to.equal(import.meta.filename);
      const missing = findTorchScript('/nonexistent/torch_snn_bench.py');
      expect(missing.tried.slice(0, 2)).to.deep.equal(['/nonexistent/torch_snn_bench.py', import.meta.filename]);
      expect(missing.path).to.equal(import.meta.filename);
    } finally {
      if (saved === undefined) delete process.env.DEEPSPIKE_TORCH_BENCH;
      else process.env.DEEPSPIKE_TORCH_BENCH = saved;
    }
  });
});

async function expectReject(p: Promise<unknown>, message: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.equal(message);
    return;
  }
  expect.fail('expected a rejection');
}
