import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { lif, mergeTime, repeatOverTime, splitTime, type Surrogate } from '@deepspike/core';
import { expectClose, expectEqualArrays, goldenSequenceNHWC, goldenTensor, loadGolden, type GoldenTensor } from '@deepspike/core/testing';
import { tdbn, type TdbnImplementation } from '@deepspike/tdbn';
import { BACKENDS, useBackend } from './helpers.js';

type Params = Record<'conv_w' | 'bn_lambda' | 'bn_beta' | 'fc_w' | 'fc_b', GoldenTensor>;
interface Variant {
  readonly detach_reset: boolean;
  readonly loss: number;
  readonly grads: Params;
  readonly grad_x_seq: GoldenTensor;
  readonly activations?: Record<'conv_out' | 'bn_out' | 'u1' | 's1' | 'pool_out' | 'fc_out' | 'u2' | 's2' | 'rate', GoldenTensor>;
}
interface E2EGolden {
  readonly config: { T: number; N: number; vth: number; tau: number; a: number; tdbn_alpha: number; eps: number };
  readonly input_img: GoldenTensor;
  readonly labels: number[];
  readonly params: Params;
  readonly variants: Variant[];
}

const golden = loadGolden<E2EGolden>('e2e_net.json');
const cfg = golden.config;
const FORWARD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };
/** The paper's rectangle: g'(x) = (1/a)*1(|x| < a/2), x = u - Vth. */
const RECT: Surrogate = { name: 'rect', params: { alpha: 1 / cfg.a }, derivative: (x) => (Math.abs(x) < cfg.a / 2 ? 1 / cfg.a : 0) };
const nhwc = (t: GoldenTensor): Float32Array => tf.tidy(() => goldenSequenceNHWC(t).dataSync() as Float32Array);

/**
 * The golden network in DeepSpike layout: x_seq [T, N, 8, 8, 1] -> conv 3x3 (pad 1, no bias) ->
 * tdBN -> LIF -> avgpool 2 -> flatten in PyTorch's (c, h, w) order -> linear -> LIF -> rate -> CE.
 */
function network(detachReset: boolean, implementation: TdbnImplementation) {
  const T = cfg.T;
  const labels = tf.oneHot(tf.tensor1d(golden.labels, 'int32'), 10);
  return (xSeq: tf.Tensor, convK: tf.Tensor, lambda: tf.Tensor, beta: tf.Tensor, fcK: tf.Tensor, fcB: tf.Tensor) => {
    const convOut = splitTime(tf.conv2d(mergeTime(xSeq) as tf.Tensor4D, convK as tf.Tensor4D, 1, 'same'), T);
    const bnOut = tdbn(convOut, { alpha: cfg.tdbn_alpha, vth: cfg.vth, lambda, beta, epsilon: cfg.eps, implementation });
    const l1 = lif(bnOut, { vth: cfg.vth, tau: cfg.tau, surrogate: RECT, detachReset });
    const pool = tf.avgPool(mergeTime(l1.spikes) as tf.Tensor4D, 2, 2, 'valid');
    const flat = tf.reshape(tf.transpose(pool, [0, 3, 1, 2]), [pool.shape[0], -1]);
    const fcOut = tf.reshape(tf.add(tf.matMul(flat, fcK), fcB), [T, -1, 10]);
    const l2 = lif(fcOut, { vth: cfg.vth, tau: cfg.tau, surrogate: RECT, detachReset });
    const rate = tf.mean(l2.spikes, 0);
    const loss = tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(rate)), 1)));
    return { loss, convOut, bnOut, u1: l1.u, s1: l1.spikes, pool: splitTime(pool, T), fcOut, u2: l2.u, s2: l2.spikes, rate };
  };
}

for (const backend of BACKENDS) {
  const impls: TdbnImplementation[] = backend === 'cpu' ? ['fused', 'composite'] : ['auto'];
  for (const implementation of impls) {
    describe(`e2e_net.json: conv -> tdBN -> LIF -> pool -> linear -> LIF (${backend}, tdbn ${implementation})`, () => {
      before(() => useBackend(backend));

      for (const v of golden.variants) {
        it(`loss, activations, every weight gradient and dL/dx_seq (detachReset ${v.detach_reset})`, () => {
          const before = tf.memory().numTensors;
          tf.tidy(() => {
            const img = tf.transpose(goldenTensor(golden.input_img), [0, 2, 3, 1]); // [N, 8, 8, 1]
            const xSeq = repeatOverTime(img, cfg.T);
            const convK = tf.transpose(goldenTensor(golden.params.conv_w), [2, 3, 1, 0]);
            const lambda = goldenTensor(golden.params.bn_lambda);
            const beta = goldenTensor(golden.params.bn_beta);
            const fcK = tf.transpose(goldenTensor(golden.params.fc_w));
            const fcB = goldenTensor(golden.params.fc_b);
            const net = network(v.detach_reset, implementation);
            const out = net(xSeq, convK, lambda, beta, fcK, fcB);
            expectClose([out.loss.dataSync()[0]!], [v.loss], FORWARD, 'loss');
            if (v.activations) {
              const a = v.activations;
              expectClose(out.convOut.dataSync(), nhwc(a.conv_out), FORWARD, 'conv_out');
              expectClose(out.bnOut.dataSync(), nhwc(a.bn_out), FORWARD, 'bn_out');
              expectClose(out.u1.dataSync(), nhwc(a.u1), FORWARD, 'u1');
              expectEqualArrays(out.s1.dataSync(), nhwc(a.s1), 's1');
              expectClose(out.pool.dataSync(), nhwc(a.pool_out), FORWARD, 'pool_out');
              expectClose(out.fcOut.dataSync(), a.fc_out.data, FORWARD, 'fc_out');
              expectClose(out.u2.dataSync(), a.u2.data, FORWARD, 'u2');
              expectEqualArrays(out.s2.dataSync(), a.s2.data, 's2');
              expectClose(out.rate.dataSync(), a.rate.data, FORWARD, 'rate');
            }
            const grads = tf.grads((...xs: tf.Tensor[]) => net(...(xs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).loss)([
              xSeq,
              convK,
              lambda,
              beta,
              fcK,
              fcB,
            ]);
            const [gx, gConv, gLambda, gBeta, gFc, gFcB] = grads as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
            expectClose(gx.dataSync(), nhwc(v.grad_x_seq), GRAD, 'grad_x_seq');
            expectClose(tf.transpose(gConv, [3, 2, 0, 1]).dataSync(), v.grads.conv_w.data, GRAD, 'grad conv_w');
            expectClose(gLambda.dataSync(), v.grads.bn_lambda.data, GRAD, 'grad bn_lambda');
            expectClose(gBeta.dataSync(), v.grads.bn_beta.data, GRAD, 'grad bn_beta');
            expectClose(tf.transpose(gFc).dataSync(), v.grads.fc_w.data, GRAD, 'grad fc_w');
            expectClose(gFcB.dataSync(), v.grads.fc_b.data, GRAD, 'grad fc_b');
          });
          expect(tf.memory().numTensors).to.equal(before);
        });
      }
    });
  }
}
