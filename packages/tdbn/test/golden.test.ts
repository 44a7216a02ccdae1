import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, goldenSequenceNHWC, goldenTensor, loadGolden, type GoldenTensor } from '@deepspike/core/testing';
import { TdBN, tdbn, tdbnWithStats, type TdbnImplementation } from '@deepspike/tdbn';
import { BACKENDS, useBackend } from './helpers.js';

interface TdbnCase {
  readonly Vth: number;
  readonly alpha: number;
  readonly alpha_name: string;
  readonly y: GoldenTensor;
  readonly mean: GoldenTensor;
  readonly var_biased: GoldenTensor;
  readonly grad_x: GoldenTensor;
  readonly grad_lambda: GoldenTensor;
  readonly grad_beta: GoldenTensor;
  readonly torch_bn_running_mean_after_1_step: GoldenTensor;
  readonly torch_bn_running_var_after_1_step: GoldenTensor;
}
interface TdbnGolden {
  readonly eps: number;
  readonly x: GoldenTensor;
  readonly g: GoldenTensor;
  readonly lambda: GoldenTensor;
  readonly beta: GoldenTensor;
  readonly cases: TdbnCase[];
}

const golden = loadGolden<TdbnGolden>('tdbn.json');
const FORWARD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };
const nhwc = (t: GoldenTensor): Float32Array => tf.tidy(() => goldenSequenceNHWC(t).dataSync() as Float32Array);
// goldenSequenceNHWC leaves its untransposed copy undisposed; tidy collects it.
const seq = (t: GoldenTensor): tf.Tensor => tf.tidy(() => goldenSequenceNHWC(t));

for (const backend of BACKENDS) {
  const impls: TdbnImplementation[] = backend === 'cpu' ? ['fused', 'composite'] : ['auto'];
  for (const implementation of impls) {
    describe(`tdbn golden vectors (${backend}, ${implementation})`, () => {
      before(() => useBackend(backend));

      it('has the four cases of tdbn.json', () => {
        expect(golden.cases).to.have.length(4);
      });

      for (const c of golden.cases) {
        const label = `Vth=${c.Vth}, alpha=${c.alpha_name}`;

        it(`reproduces y, mean, biased var, grad_x, grad_lambda, grad_beta (${label})`, () => {
          const before = tf.memory().numTensors;
          const x = seq(golden.x);
          const g = seq(golden.g);
          const lambda = goldenTensor(golden.lambda);
          const beta = goldenTensor(golden.beta);
          const opts = { alpha: c.alpha, vth: c.Vth, epsilon: golden.eps, implementation };
          const r = tdbnWithStats(x, { ...opts, lambda, beta });
          expectClose(r.y.dataSync(), nhwc(c.y), FORWARD, 'y');
          expectClose(r.mean.dataSync(), c.mean.data, FORWARD, 'mean');
          expectClose(r.variance.dataSync(), c.var_biased.data, FORWARD, 'var_biased');
          const grads = tf.grads((xx: tf.Tensor, ll: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tdbn(xx, { ...opts, lambda: ll, beta: bb }), g)));
          const [gx, gl, gb] = grads([x, lambda, beta]);
          expectClose(gx!.dataSync(), nhwc(c.grad_x), GRAD, 'grad_x');
          expectClose(gl!.dataSync(), c.grad_lambda.data, GRAD, 'grad_lambda');
          expectClose(gb!.dataSync(), c.grad_beta.data, GRAD, 'grad_beta');
          tf.dispose([x, g, lambda, beta, r.y, r.mean, r.variance, gx!, gl!, gb!]);
          expect(tf.memory().numTensors).to.equal(before);
        });

        it(`TdBN layer: same y and gradients, running stats after one step (${label})`, () => {
          const layer = new TdBN('bn', { channels: 2, alpha: c.alpha, vth: c.Vth, epsilon: golden.eps, implementation });
          layer.lambda.assign(goldenTensor(golden.lambda));
          layer.beta.assign(goldenTensor(golden.beta));
          const x = seq(golden.x);
          const g = seq(golden.g);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.forward(x), g)) as tf.Scalar, [layer.lambda, layer.beta]);
          expectClose(grads[layer.lambda.name]!.dataSync(), c.grad_lambda.data, GRAD, 'grad_lambda');
          expectClose(grads[layer.beta.name]!.dataSync(), c.grad_beta.data, GRAD, 'grad_beta');
          expectClose(layer.runningMean.dataSync(), c.torch_bn_running_mean_after_1_step.data, FORWARD, 'running mean');
          expectClose(layer.runningVar.dataSync(), c.torch_bn_running_var_after_1_step.data, FORWARD, 'running var');
          tf.dispose([x, g, value, ...Object.values(grads)]);
          layer.dispose();
        });
      }
    });
  }
}
