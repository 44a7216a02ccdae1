import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { BasicBlock, LIF, initBackend, lif, type Conv2d } from '@deepspike/core';
import { rect } from '@deepspike/surrogate';
import { TdBN, tdbn } from '@deepspike/tdbn';
import { buildModel } from '@deepspike/codegen';
import type { ModelSpec } from '@deepspike/dsl';
import { firstPartyRegistry } from './helpers/compile.js';

const spec: ModelSpec = {
  name: 'wiring',
  timesteps: 3,
  input: { shape: [6, 6, 2] },
  defaults: { neuron: { vth: 0.4, tau: 0.5, surrogate: { name: 'rect', params: { alpha: 1 } } }, norm: { kind: 'tdbn', epsilon: 1e-5 } },
  layers: [
    { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
    { type: 'norm' },
    { type: 'neuron' },
    { type: 'residual', filters: 8, stride: 2, shortcut: 'projection' },
    { type: 'globalAvgPool' },
    { type: 'linear', units: 3 },
  ],
};

const pad1: tf.backend_util.ExplicitPadding = [[0, 0], [1, 1], [1, 1], [0, 0]];
function conv(x: Tensor, c: Conv2d, stride: number, pad: 'valid' | tf.backend_util.ExplicitPadding): Tensor {
  const [t, n, h, w, ch] = x.shape as [number, number, number, number, number];
  const y = tf.conv2d(tf.reshape(x, [t * n, h, w, ch]) as tf.Tensor4D, c.kernel as unknown as tf.Tensor4D, stride, pad);
  return tf.reshape(y, [t, n, ...y.shape.slice(1)]);
}

describe('buildModel with the first-party neurons and norms', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('wires tdBN (alpha 1 / 1/sqrt(2), the neurons\' vth) and LIF (vth, tau, surrogate) as the paper does', () => {
    const model = buildModel(spec, { registry: firstPartyRegistry(), seed: 2 });
    const norm1 = model.layers.get('norm1') as TdBN;
    const lif1 = model.layers.get('lif1') as LIF;
    const block = model.layers.get('block1') as BasicBlock;
    expect(norm1).to.be.instanceOf(TdBN);
    expect(lif1).to.be.instanceOf(LIF);
    expect([norm1.alpha, norm1.vth, norm1.epsilon]).to.deep.equal([1, 0.4, 1e-5]);
    expect([lif1.vth, lif1.tau]).to.deep.equal([0.4, 0.5]);
    const norms = [block.norm1, block.norm2, block.shortcutNorm] as TdBN[];
    expect(norms.map((n) => [n.alpha, n.vth])).to.deep.equal([
      [1, 0.4],
      [Math.SQRT1_2, 0.4],
      [Math.SQRT1_2, 0.4],
    ]);

    // The block by hand with the public ops: conv -> tdbn -> lif, conv -> tdbn, shortcut, add, lif.
    const s = rect({ alpha: 1 });
    const n = (x: Tensor, m: TdBN): Tensor => tdbn(x, { alpha: m.alpha, vth: 0.4, lambda: m.lambda, beta: m.beta, epsilon: 1e-5 });
    const fire = (x: Tensor): Tensor => lif(x, { vth: 0.4, tau: 0.5, surrogate: s }).spikes;
    const x = tf.randomUniform([3, 2, 6, 6, 4], 0, 1, 'float32', 3);
    const a = fire(n(conv(x, block.conv1, 2, pad1), norms[0]!));
    const b = n(conv(a, block.conv2, 1, pad1), norms[1]!);
    const sc = n(conv(x, block.shortcutConv!, 2, 'valid'), norms[2]!);
    const ref = fire(tf.add(b, sc));
    const y = block.forward(x);
    expect(y.shape).to.deep.equal([3, 2, 3, 3, 8]);
    expect(Array.from(y.dataSync())).to.deep.equal(Array.from(ref.dataSync()));
    const rate = tf.mean(ref).dataSync()[0] as number;
    expect(rate).to.be.within(0.05, 0.95); // spikes and silence both occur: the comparison is not trivial
  });
});
