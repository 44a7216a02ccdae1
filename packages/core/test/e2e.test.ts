import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { lif, stbpRectangle } from '@deepspike/core';
import { expectClose, expectEqualArrays, goldenTensor, loadGolden, type GoldenTensor } from '@deepspike/core/testing';
import { GOLDEN_BACKENDS, onBackend } from './spiking-helpers.js';

interface Variant {
  detach_reset: boolean;
  loss: number;
  grads: Record<'conv_w' | 'bn_lambda' | 'bn_beta' | 'fc_w' | 'fc_b', GoldenTensor>;
  grad_x_seq: GoldenTensor;
  activations?: Record<string, GoldenTensor>;
}
interface E2E {
  config: { T: number; N: number; vth: number; tau: number; a: number; tdbn_alpha: number; eps: number };
  input_img: GoldenTensor;
  labels: number[] | GoldenTensor;
  params: Record<'conv_w' | 'bn_lambda' | 'bn_beta' | 'fc_w' | 'fc_b', GoldenTensor>;
  variants: Variant[];
}

const golden = loadGolden<E2E>('e2e_net.json');
const cfg = golden.config;
const labels = Array.isArray(golden.labels) ? golden.labels : golden.labels.data;
const FWD = { atol: 1e-6, rtol: 1e-5 };
const GRAD = { atol: 1e-5, rtol: 1e-4 };

/** tdBN written inline (training mode, biased variance): y = lambda*(alpha*Vth*(x-mean)/sqrt(var+eps)) + beta per channel. */
function tdbnInline(x: Tensor, lambda: Tensor, beta: Tensor): Tensor {
  const axes = [0, 1, 2, 3, 4].slice(0, x.rank - 1);
  const { mean, variance } = tf.moments(x, axes);
  const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, cfg.eps)));
  return tf.add(tf.mul(lambda, tf.mul(cfg.tdbn_alpha * cfg.vth, xhat)), beta);
}

/** [T, N, H, W, C] -> golden [T, N, C, H, W]. */
const toGolden = (t: Tensor): Tensor => (t.rank === 5 ? tf.transpose(t, [0, 1, 4, 2, 3]) : t);

/**
 * The golden network on DeepSpike's layout: x [T, N, 8, 8, 1] -> conv 3x3 (1->4, same, no bias) on the
 * merged view -> tdBN -> LIF -> avgpool 2 -> flatten in PyTorch order (c*16 + h*4 + w) -> linear -> LIF
 * -> rate = mean over T -> cross-entropy with the rate as logits (mean over the batch).
 */
function network(xSeq: Tensor, convW: Tensor, lambda: Tensor, beta: Tensor, fcW: Tensor, fcB: Tensor, detachReset: boolean, implementation: 'fused' | 'composite') {
  const { T, N } = cfg;
  const neuron = { vth: cfg.vth, tau: cfg.tau, surrogate: stbpRectangle(1 / cfg.a), detachReset, implementation };
  const filter = tf.transpose(convW, [2, 3, 1, 0]); // PyTorch [out, in, kh, kw] -> tf [kh, kw, in, out]
  const [, , h, w] = xSeq.shape as number[];
  const convOut = tf.reshape(tf.conv2d(tf.reshape(xSeq, [T * N, h as number, w as number, 1]) as Tensor4D, filter as Tensor4D, 1, 'same'), [T, N, h as number, w as number, 4]);
  const bnOut = tdbnInline(convOut, lambda, beta);
  const l1 = lif(bnOut, neuron);
  const pooled = tf.reshape(tf.avgPool(tf.reshape(l1.spikes, [T * N, h as number, w as number, 4]) as Tensor4D, 2, 2, 'valid'), [T, N, 4, 4, 4]);
  const flat = tf.reshape(tf.transpose(pooled, [0, 1, 4, 2, 3]), [T, N, 64]); // NHWC -> CHW order before flattening
  const fcOut = tf.add(tf.reshape(tf.matMul(tf.reshape(flat, [T * N, 64]), fcW, false, true), [T, N, 10]), fcB);
  const l2 = lif(fcOut, neuron);
  const rate = tf.mean(l2.spikes, 0);
  const logp = tf.logSoftmax(rate);
  const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), logp), 1)));
  return { loss, convOut, bnOut, u1: l1.u, s1: l1.spikes, pooled, fcOut, u2: l2.u, s2: l2.spikes, rate };
}

describe('e2e_net.json: conv -> tdBN -> LIF -> pool -> linear -> LIF -> rate CE', () => {
  for (const backend of GOLDEN_BACKENDS) {
    onBackend(backend, () => {
      for (const variant of golden.variants) for (const impl of ['fused', 'composite'] as const) {
        it(`${impl} lif, detachReset=${variant.detach_reset}: loss, every weight gradient, dL/dx_seq${variant.activations ? ', activations' : ''}`, () => {
          const before = tf.memory().numTensors;
          tf.tidy(() => {
            const img = goldenTensor(golden.input_img); // [N, 1, 8, 8]
            const xSeq = tf.tile(tf.expandDims(tf.transpose(img, [0, 2, 3, 1]), 0), [cfg.T, 1, 1, 1, 1]);
            const p = golden.params;
            const inputs = [xSeq, goldenTensor(p.conv_w), goldenTensor(p.bn_lambda), goldenTensor(p.bn_beta), goldenTensor(p.fc_w), goldenTensor(p.fc_b)];
            const f = (...xs: Tensor[]) => network(xs[0] as Tensor, xs[1] as Tensor, xs[2] as Tensor, xs[3] as Tensor, xs[4] as Tensor, xs[5] as Tensor, variant.detach_reset, impl);
            const out = f(...inputs);
            expectClose(out.loss.dataSync(), [variant.loss], FWD, 'loss');
            const { value, grads } = tf.valueAndGrads((...xs: Tensor[]) => f(...xs).loss as tf.Scalar)(inputs);
            expectClose(value.dataSync(), [variant.loss], FWD, 'loss (valueAndGrads)');
            const [gx, gConv, gLambda, gBeta, gFc, gFcB] = grads as Tensor[];
            expectClose((gConv as Tensor).dataSync(), variant.grads.conv_w.data, GRAD, 'grad conv_w');
            expectClose((gLambda as Tensor).dataSync(), variant.grads.bn_lambda.data, GRAD, 'grad bn_lambda');
            expectClose((gBeta as Tensor).dataSync(), variant.grads.bn_beta.data, GRAD, 'grad bn_beta');
            expectClose((gFc as Tensor).dataSync(), variant.grads.fc_w.data, GRAD, 'grad fc_w');
            expectClose((gFcB as Tensor).dataSync(), variant.grads.fc_b.data, GRAD, 'grad fc_b');
            expectClose(toGolden(gx as Tensor).dataSync(), variant.grad_x_seq.data, GRAD, 'grad x_seq');
            expect(Array.from((gConv as Tensor).dataSync()).some((v) => v !== 0), 'non-trivial conv gradient').to.equal(true);
            const act = variant.activations;
            if (act) {
              expectClose(toGolden(out.convOut).dataSync(), act.conv_out!.data, FWD, 'conv_out');
              expectClose(toGolden(out.bnOut).dataSync(), act.bn_out!.data, FWD, 'bn_out');
              expectClose(toGolden(out.u1).dataSync(), act.u1!.data, FWD, 'u1');
              expectEqualArrays(toGolden(out.s1).dataSync(), act.s1!.data, 's1');
              expectClose(toGolden(out.pooled).dataSync(), act.pool_out!.data, FWD, 'pool_out');
              expectClose(out.fcOut.dataSync(), act.fc_out!.data, FWD, 'fc_out');
              expectClose(out.u2.dataSync(), act.u2!.data, FWD, 'u2');
              expectEqualArrays(out.s2.dataSync(), act.s2!.data, 's2');
              expectClose(out.rate.dataSync(), act.rate!.data, FWD, 'rate');
            }
          });
          expect(tf.memory().numTensors, 'tensor leak').to.equal(before);
        });
      }
    });
  }
});
