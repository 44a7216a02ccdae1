import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  BasicBlock,
  Bottleneck,
  Conv2d,
  Layer,
  NeuronLayer,
  RESIDUAL_ALPHA,
  Registry,
  InvalidArgumentError,
  UnknownEntryError,
  asLayerClass,
  initBackend,
  neuronLayersOf,
  type NeuronOptions,
  type NormOptions,
} from '@deepspike/core';
import { expectClose } from '@deepspike/core/testing';

/** A stand-in norm: y = alpha * scale * x + shift, with parameters named like tdBN's (lambda, beta). */
class FakeNorm extends Layer {
  readonly lambda: tf.Variable;
  readonly beta: tf.Variable;
  constructor(readonly options: NormOptions) {
    super(String(options.name));
    this.lambda = this.addParam('lambda', tf.fill([options.channels], 1.5));
    this.beta = this.addParam('beta', tf.fill([options.channels], 0.1));
  }
  forward(x: Tensor): Tensor {
    return tf.tidy(() => tf.add(tf.mul(x, tf.mul(this.lambda, this.options.alpha ?? 1)), this.beta));
  }
}

/** A stand-in neuron: o = H(x - vth) at every step (no memory), so the block can be composed by hand. */
class FakeNeuron extends NeuronLayer {
  constructor(readonly options: NeuronOptions) {
    super(String(options.name));
  }
  protected multiStep(x: Tensor): Tensor {
    return tf.cast(tf.greaterEqual(x, this.options.vth ?? 0.5), 'float32');
  }
  protected singleStep(x: Tensor): { o: Tensor; u: Tensor } {
    return { o: this.multiStep(x), u: tf.clone(x) };
  }
}

function fakeRegistry(): { registry: Registry; norms: FakeNorm[]; neurons: FakeNeuron[] } {
  const registry = new Registry();
  const norms: FakeNorm[] = [];
  const neurons: FakeNeuron[] = [];
  registry.register('norm', 'fake', { create: (o) => (norms.push(new FakeNorm(o)), norms[norms.length - 1] as FakeNorm) });
  registry.register('neuron', 'step', { create: (o) => (neurons.push(new FakeNeuron(o)), neurons[neurons.length - 1] as FakeNeuron) });
  return { registry, norms, neurons };
}

function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const pad1: tf.backend_util.ExplicitPadding = [[0, 0], [1, 1], [1, 1], [0, 0]];
/** conv on the merged view with the layer's own weights. */
function conv(x: Tensor, c: Conv2d, stride: number, pad: 'valid' | tf.backend_util.ExplicitPadding): Tensor {
  const [t, n, h, w, ch] = x.shape as number[];
  const y = tf.conv2d(tf.reshape(x, [t! * n!, h!, w!, ch!]) as tf.Tensor4D, c.kernel as unknown as tf.Tensor4D, stride, pad);
  return tf.reshape(y, [t!, n!, ...y.shape.slice(1)]);
}
const norm = (x: Tensor, alpha: number): Tensor => tf.add(tf.mul(x, 1.5 * alpha), 0.1);
const fire = (x: Tensor, vth: number): Tensor => tf.cast(tf.greaterEqual(x, vth), 'float32');

describe('layers: residual blocks', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('BasicBlock with a projection shortcut equals the paper block composed by hand', () => {
    const { registry, norms, neurons } = fakeRegistry();
    const block = new BasicBlock('b', {
      inChannels: 3,
      filters: 4,
      stride: 2,
      norm: { kind: 'fake' },
      neuron: { kind: 'step', options: { vth: 0.3 } },
      registry,
      seed: 11,
    });
    expect([...block.namedParameters().keys()]).to.deep.equal([
      'conv1.kernel',
      'norm1.lambda',
      'norm1.beta',
      'conv2.kernel',
      'norm2.lambda',
      'norm2.beta',
      'shortcutConv.kernel',
      'shortcutNorm.lambda',
      'shortcutNorm.beta',
    ]);
    // alpha 1 on the plain path, 1/sqrt(2) on both summed branches; every norm told the neuron's vth
    expect(norms.map((n) => [n.options.name, n.options.alpha, n.options.vth, n.options.channels])).to.deep.equal([
      ['norm1', 1, 0.3, 4],
      ['norm2', RESIDUAL_ALPHA, 0.3, 4],
      ['shortcutNorm', RESIDUAL_ALPHA, 0.3, 4],
    ]);
    expect(neurons.map((n) => n.options.name)).to.deep.equal(['neuron1', 'neuron2']);
    expect([...neuronLayersOf(block).keys()]).to.deep.equal(['neuron1', 'neuron2']);
    const x = tf.tensor5d(values(2 * 2 * 6 * 6 * 3, 4), [2, 2, 6, 6, 3]);
    const y = block.forward(x);
    const a = fire(norm(conv(x, block.conv1, 2, pad1), 1), 0.3);
    const b = norm(conv(a, block.conv2, 1, pad1), RESIDUAL_ALPHA);
    const s = norm(conv(x, block.shortcutConv as Conv2d, 2, 'valid'), RESIDUAL_ALPHA);
    const pre = tf.add(b, s);
    const ref = fire(pre, 0.3);
    expect(y.shape).to.deep.equal([2, 2, 3, 3, 4]);
    expect(Array.from(y.dataSync())).to.deep.equal(Array.from(ref.dataSync()));
    const spikes = Array.from(ref.dataSync()).reduce((p, v) => p + v, 0);
    expect(spikes).to.be.within(1, ref.size - 1); // the comparison is not trivially all-0 or all-1
  });

  it('BasicBlock keeps an identity shortcut when the shape is unchanged, and is seeded per child', () => {
    const { registry } = fakeRegistry();
    const opts = { inChannels: 4, filters: 4, norm: { kind: 'fake' }, neuron: { kind: 'step', options: { vth: 0.2 } }, registry, seed: 5 };
    const block = new BasicBlock('b', opts);
    expect(block.shortcutConv).to.equal(null);
    expect([...block.namedParameters().keys()].filter((k) => k.startsWith('shortcut'))).to.deep.equal([]);
    const x = tf.tensor5d(values(1 * 2 * 4 * 4 * 4, 8), [1, 2, 4, 4, 4]);
    const a = fire(norm(conv(x, block.conv1, 1, pad1), 1), 0.2);
    const ref = fire(tf.add(norm(conv(a, block.conv2, 1, pad1), RESIDUAL_ALPHA), x), 0.2);
    expect(Array.from(block.forward(x).dataSync())).to.deep.equal(Array.from(ref.dataSync()));
    const twin = new BasicBlock('b', opts);
    expect(Array.from(twin.conv2.kernel.dataSync())).to.deep.equal(Array.from(block.conv2.kernel.dataSync()));
    expect(Array.from(twin.conv1.kernel.dataSync())).to.not.deep.equal(Array.from(block.conv2.kernel.dataSync()));
    const projected = new BasicBlock('b', { ...opts, projection: true });
    expect(projected.shortcutConv).to.not.equal(null);
  });

  it('BasicBlock without a norm gives its convs a bias', () => {
    const { registry } = fakeRegistry();
    const block = new BasicBlock('b', { inChannels: 2, filters: 2, norm: { kind: 'none' }, neuron: { kind: 'step' }, registry });
    expect([...block.namedParameters().keys()]).to.deep.equal(['conv1.kernel', 'conv1.bias', 'conv2.kernel', 'conv2.bias']);
  });

  it('Bottleneck: 1x1-3x3-1x1 with expansion 4 equals the hand composition', () => {
    const { registry, norms } = fakeRegistry();
    const block = new Bottleneck('b', { inChannels: 8, planes: 2, stride: 2, norm: { kind: 'fake' }, neuron: { kind: 'step', options: { vth: 0.1 } }, registry, seed: 2 });
    expect(block.outChannels).to.equal(8);
    expect([...block.namedParameters().keys()].filter((k) => k.endsWith('kernel'))).to.deep.equal([
      'conv1.kernel',
      'conv2.kernel',
      'conv3.kernel',
      'shortcutConv.kernel',
    ]);
    expect(block.conv1.kernel.shape).to.deep.equal([1, 1, 8, 2]);
    expect(block.conv2.kernel.shape).to.deep.equal([3, 3, 2, 2]);
    expect(block.conv3.kernel.shape).to.deep.equal([1, 1, 2, 8]);
    expect(norms.map((n) => n.options.alpha)).to.deep.equal([1, 1, RESIDUAL_ALPHA, RESIDUAL_ALPHA]);
    const x = tf.tensor5d(values(2 * 1 * 4 * 4 * 8, 3), [2, 1, 4, 4, 8]);
    const h1 = fire(norm(conv(x, block.conv1, 1, 'valid'), 1), 0.1);
    const h2 = fire(norm(conv(h1, block.conv2, 2, pad1), 1), 0.1);
    const h3 = norm(conv(h2, block.conv3, 1, 'valid'), RESIDUAL_ALPHA);
    const s = norm(conv(x, block.shortcutConv as Conv2d, 2, 'valid'), RESIDUAL_ALPHA);
    const ref = fire(tf.add(h3, s), 0.1);
    const y = block.forward(x);
    expect(y.shape).to.deep.equal([2, 1, 2, 2, 8]);
    expectClose(y.dataSync(), ref.dataSync(), { atol: 0, rtol: 0 });
  });

  it('asks the registry for norms and neurons, and says what is missing or wrong', () => {
    const { registry } = fakeRegistry();
    registry.register('neuron', 'plain', { create: (o) => new FakeNorm({ channels: 1, name: o.name }) });
    expect(() => new BasicBlock('b', { inChannels: 2, filters: 2, norm: { kind: 'fake' }, neuron: { kind: 'plain' }, registry })).to.throw(
      InvalidArgumentError,
      'neuron "neuron1": the "plain" registry entry returned a FakeNorm, got a layer without recordRates/lastFiringRate/step; expected a NeuronLayer.',
    );
    expect(() => new BasicBlock('b', { inChannels: 2, filters: 2, norm: { kind: 'tdbn' }, neuron: { kind: 'step' }, registry })).to.throw(
      UnknownEntryError,
      'Unknown norm "tdbn". Registered norms: fake.',
    );
  });

  it('asLayerClass narrows a registry-made layer to the declared class, or says what was built', () => {
    const made: Layer = new FakeNorm({ channels: 2, name: 'n' });
    expect(asLayerClass(made, FakeNorm)).to.equal(made);
    expect(() => asLayerClass(made, FakeNeuron, 'norm1')).to.throw(
      InvalidArgumentError,
      'norm1: the registry built a FakeNorm, got FakeNorm; expected a FakeNeuron (the class the generated model declares).',
    );
  });

  it('does not leak tensors in forward', () => {
    const { registry } = fakeRegistry();
    const block = new BasicBlock('b', { inChannels: 2, filters: 4, stride: 2, norm: { kind: 'fake' }, neuron: { kind: 'step' }, registry, seed: 1 });
    const x = tf.ones([2, 1, 4, 4, 2]);
    const before = tf.memory().numTensors;
    block.forward(x).dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
