import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, MsBlock, SewBlock, deepspikePlugin, initBackend, installPlugin, layerMessages, neuronLayersOf, Registry, sewConnect } from '@deepspike/core';

describe('layers: SEW and MS residual blocks', () => {
  const registry = new Registry();
  installPlugin(deepspikePlugin, registry);
  const neuron = { kind: 'lif', options: { vth: 0.5, tau: 0.25 } };
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('sewConnect: ADD, AND and IAND on every pair of spikes (Fang et al. 2021, Table 1)', () => {
    const a = tf.tensor1d([0, 0, 1, 1]);
    const s = tf.tensor1d([0, 1, 0, 1]);
    expect(Array.from(sewConnect('add', a, s).dataSync())).to.deep.equal([0, 1, 1, 2]);
    expect(Array.from(sewConnect('and', a, s).dataSync())).to.deep.equal([0, 0, 0, 1]);
    expect(Array.from(sewConnect('iand', a, s).dataSync())).to.deep.equal([0, 1, 0, 0]);
    // the gradients of g(A, S) = (1 - A) * S: dg/dA = -S, dg/dS = 1 - A
    const [ga, gs] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(sewConnect('iand', x, y)))([a, s]);
    expect(Array.from(ga!.dataSync())).to.deep.equal([-0, -1, -0, -1]);
    expect(Array.from(gs!.dataSync())).to.deep.equal([1, 1, 0, 0]);
  });

  it('a bad connect function is refused naming the block and the choices', () => {
    expect(() => new SewBlock('b', { inChannels: 2, filters: 2, connect: 'or' as never, norm: { kind: 'none' }, neuron, registry })).to.throw(
      InvalidArgumentError,
      layerMessages.sewConnect('SewBlock "b"', 'or'),
    );
  });

  it('SEW: the spiking downsample has a neuron of its own; MS: neurons come before the convs and none after the add', () => {
    const sew = new SewBlock('s', { inChannels: 2, filters: 3, stride: 2, norm: { kind: 'none' }, neuron, registry, seed: 1 });
    expect([...neuronLayersOf(sew).keys()]).to.deep.equal(['neuron1', 'neuron2', 'shortcutNeuron']);
    const ms = new MsBlock('m', { inChannels: 3, filters: 3, norm: { kind: 'none' }, neuron, registry, seed: 1 });
    expect([...ms.childLayers().keys()]).to.deep.equal(['neuron1', 'conv1', 'neuron2', 'conv2']);
    // an MS block with zero-weight convs passes its real-valued input through unchanged (identity membrane shortcut)
    for (const v of ms.trainableParameters().values()) v.assign(tf.zerosLike(v));
    const x = tf.randomUniform([2, 2, 3, 3, 3], -1, 1, 'float32', 5);
    expect(Array.from(ms.forward(x).dataSync())).to.deep.equal(Array.from(x.dataSync()));
    // a SEW IAND block whose residual branch is silent passes its spikes through (the identity of Fang et al.)
    const iand = new SewBlock('i', { inChannels: 3, filters: 3, connect: 'iand', norm: { kind: 'none' }, neuron, registry, seed: 1 });
    for (const v of iand.trainableParameters().values()) v.assign(tf.zerosLike(v));
    const spikes = tf.cast(tf.greater(x, 0), 'float32');
    expect(Array.from(iand.forward(spikes).dataSync())).to.deep.equal(Array.from(spikes.dataSync()));
    tf.dispose([x, spikes]);
    [sew, ms, iand].forEach((b) => b.dispose());
  });
});
