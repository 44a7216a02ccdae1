import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { initBackend, psn } from '@deepspike/core';
import { expectClose, expectEqualArrays, goldenTensor, testdataDir, type GoldenTensor } from '@deepspike/core/testing';
import { atan } from '@deepspike/surrogate';

interface PsnGolden {
  vth: number; x: GoldenTensor; weight: GoldenTensor; bias: GoldenTensor; g: GoldenTensor; gu: GoldenTensor;
  atan: { alpha: number; o: GoldenTensor; grad_x: GoldenTensor; grad_weight: GoldenTensor; grad_bias: GoldenTensor };
}

/** PSN with SpikingJelly's default surrogate (ATan, alpha 2) against testdata/neurons/psn.json (PyTorch). */
describe('PSN with the atan surrogate (SpikingJelly PSN default)', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('spikes and the gradients of x, W and B match', () => {
    const golden = JSON.parse(readFileSync(join(testdataDir(), 'neurons', 'psn.json'), 'utf8')) as PsnGolden;
    const [x, w, b, g, gu] = [golden.x, golden.weight, golden.bias, golden.g, golden.gu].map(goldenTensor) as Tensor[];
    const opts = { vth: golden.vth, surrogate: atan({ alpha: golden.atan.alpha }) };
    expectEqualArrays(psn(x as Tensor, w as Tensor, b as Tensor, opts).spikes.dataSync(), golden.atan.o.data, 'spikes');
    const [gx, gw, gb] = tf.grads((xx: Tensor, ww: Tensor, bb: Tensor) => {
      const r = psn(xx, ww, bb, opts);
      return tf.add(tf.sum(tf.mul(r.spikes, g as Tensor)), tf.sum(tf.mul(r.h, gu as Tensor)));
    })([x as Tensor, w as Tensor, b as Tensor]) as Tensor[];
    const tol = { atol: 1e-5, rtol: 1e-4 };
    expectClose((gx as Tensor).dataSync(), golden.atan.grad_x.data, tol, 'grad_x');
    expectClose((gw as Tensor).dataSync(), golden.atan.grad_weight.data, tol, 'grad_weight');
    expectClose((gb as Tensor).dataSync(), golden.atan.grad_bias.data, tol, 'grad_bias');
  });
});
