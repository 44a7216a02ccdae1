import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { checkGrad, expectClose } from '@deepspike/core/testing';
import { BatchNorm, BatchNormThroughTime, TemporalEffectiveBN } from '@deepspike/tdbn';
import { BACKENDS, randnTensor, useBackend } from './helpers.js';

const EPS = 1e-5;
const F = { atol: 1e-6, rtol: 1e-5 };
const s = Math.sqrt;

for (const backend of BACKENDS) {
  describe(`BN variants against hand-computed values (${backend})`, () => {
    before(() => useBackend(backend));

    // x [T=2, N=2, C=2]: per step and channel, t0 ch0 {1, 3} (mean 2, var 1), t0 ch1 {10, 14}
    // (12, 4), t1 ch0 {2, 6} (4, 4), t1 ch1 {-1, 1} (0, 1).
    const xData = [
      [
        [1, 10],
        [3, 14],
      ],
      [
        [2, -1],
        [6, 1],
      ],
    ];

    it('BatchNormThroughTime: statistics and parameters per time step, running stats, inference', () => {
      const layer = new BatchNormThroughTime('bntt', { channels: 2, timesteps: 2 });
      layer.lambda.assign(tf.tensor2d([
        [2, 1],
        [0.5, 3],
      ]));
      layer.beta.assign(tf.tensor2d([
        [0.1, 0],
        [-0.2, 1],
      ]));
      const x = tf.tensor3d(xData);
      const y = layer.forward(x);
      // prettier-ignore
      const expected = [
        2 * -1 / s(1 + EPS) + 0.1, 1 * -2 / s(4 + EPS) + 0,
        2 * 1 / s(1 + EPS) + 0.1, 1 * 2 / s(4 + EPS) + 0,
        0.5 * -2 / s(4 + EPS) - 0.2, 3 * -1 / s(1 + EPS) + 1,
        0.5 * 2 / s(4 + EPS) - 0.2, 3 * 1 / s(1 + EPS) + 1,
      ];
      expectClose(y.dataSync(), expected, F, 'y');
      // r = 0.9*r + 0.1*batch, unbiased variance with n = 2: var*2/1
      expectClose(layer.runningMean.dataSync(), [0.2, 1.2, 0.4, 0], F, 'running mean');
      expectClose(layer.runningVar.dataSync(), [0.9 + 0.2 * 1, 0.9 + 0.2 * 4, 0.9 + 0.2 * 4, 0.9 + 0.2 * 1], F, 'running var');
      layer.setTraining(false);
      const yi = layer.forward(x);
      // inference at t0 ch0: 2*(1 - 0.2)/sqrt(1.1 + eps) + 0.1
      expectClose([yi.dataSync()[0]!, yi.dataSync()[7]!], [(2 * (1 - 0.2)) / s(1.1 + EPS) + 0.1, (3 * (1 - 0)) / s(1.1 + EPS) + 1], F, 'inference');
      tf.dispose([x, y, yi]);
      layer.dispose();
    });

    it('BatchNormThroughTime gradients pass checkGrad', () => {
      const layer = new BatchNormThroughTime('bntt', { channels: 3, timesteps: 2 });
      layer.lambda.assign(randnTensor([2, 3], 31));
      const x = randnTensor([2, 4, 2, 2, 3], 32);
      const g = randnTensor([2, 4, 2, 2, 3], 33);
      checkGrad((xx) => tf.sum(tf.mul(layer.forward(xx), g)), [x], { eps: 1e-2, atol: 2e-3, rtol: 1e-2 });
      tf.dispose([x, g]);
      layer.dispose();
    });

    it('TemporalEffectiveBN: BN over T·N, then a learnable scale per step (values and gradients)', () => {
      const layer = new TemporalEffectiveBN('tebn', { channels: 1, timesteps: 2 });
      layer.stepScale.assign(tf.tensor1d([2, 0.5]));
      layer.beta.assign(tf.tensor1d([0.5]));
      // x over T·N = {1, 3, 5, 7}: mean 4, biased var 5
      const x = tf.tensor3d([[[1], [3]], [[5], [7]]]);
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.forward(x)) as tf.Scalar, [layer.stepScale]);
      const y = layer.forward(x);
      const sd = s(5 + EPS);
      expectClose(y.dataSync(), [2 * (-3 / sd + 0.5), 2 * (-1 / sd + 0.5), 0.5 * (1 / sd + 0.5), 0.5 * (3 / sd + 0.5)], F, 'y');
      // d sum(y) / d p[t] = sum_n BN(x)[t, n]
      expectClose(grads[layer.stepScale.name]!.dataSync(), [-4 / sd + 1, 4 / sd + 1], { atol: 1e-5, rtol: 1e-4 }, 'grad stepScale');
      // two training steps from (0, 1): r1 = 0.1*4, r2 = 0.9*r1 + 0.1*4; unbiased var 5*4/3
      const v = (5 * 4) / 3;
      expectClose(layer.runningMean.dataSync(), [0.9 * 0.4 + 0.4], F, 'running mean');
      expectClose(layer.runningVar.dataSync(), [0.9 * (0.9 + 0.1 * v) + 0.1 * v], F, 'running var');
      tf.dispose([x, y, value, ...Object.values(grads)]);
      layer.dispose();
    });

    it('BatchNorm: plain BN over T·N, no alpha*Vth factor; inference uses running stats', () => {
      const layer = new BatchNorm('bn', { channels: 2, momentum: 0.5 });
      layer.lambda.assign(tf.tensor1d([2, -1]));
      const x = tf.tensor3d(xData);
      const y = layer.forward(x);
      // ch0 over T·N {1, 3, 2, 6}: mean 3, var (4+0+1+9)/4 = 3.5; ch1 {10, 14, -1, 1}: mean 6, var (16+64+49+25)/4 = 38.5
      const e0 = (v: number) => (2 * (v - 3)) / s(3.5 + EPS);
      const e1 = (v: number) => (-1 * (v - 6)) / s(38.5 + EPS);
      expectClose(y.dataSync(), [e0(1), e1(10), e0(3), e1(14), e0(2), e1(-1), e0(6), e1(1)], F, 'y');
      expectClose(layer.runningMean.dataSync(), [1.5, 3], F, 'running mean');
      expectClose(layer.runningVar.dataSync(), [0.5 + (0.5 * 3.5 * 4) / 3, 0.5 + (0.5 * 38.5 * 4) / 3], F, 'running var');
      layer.setTraining(false);
      const yi = layer.forward(x);
      const { scale, shift } = layer.foldingFactors();
      const xv = x.dataSync();
      expectClose(yi.dataSync(), Array.from(xv, (v, i) => scale[i % 2]! * v + shift[i % 2]!), F, 'inference = foldingFactors map');
      expectClose(yi.dataSync().slice(0, 1), [(2 * (1 - 1.5)) / s(0.5 + (0.5 * 3.5 * 4) / 3 + EPS)], F, 'inference value');
      tf.dispose([x, y, yi]);
      layer.dispose();
    });

    it('layers do not leak tensors in training or inference', () => {
      const layers = [
        new BatchNorm('bn', { channels: 3 }),
        new BatchNormThroughTime('bntt', { channels: 3, timesteps: 2 }),
        new TemporalEffectiveBN('tebn', { channels: 3, timesteps: 2 }),
      ];
      const x = randnTensor([2, 2, 2, 2, 3], 41);
      const before = tf.memory().numTensors;
      for (const l of layers) {
        for (const training of [true, false]) {
          l.setTraining(training);
          l.forward(x).dispose();
        }
      }
      expect(tf.memory().numTensors).to.equal(before);
      x.dispose();
      for (const l of layers) l.dispose();
    });
  });
}
