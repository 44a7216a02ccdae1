import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { initBackend, installPlugin, registry } from '@deepspike/core';
import { clipByGlobalNorm, deepspikePlugin, type Optimizer } from '@deepspike/train';

function run(opt: Optimizer, p0: number[], grads: number[][], lrs: number[]): number[] {
  const p = tf.variable(tf.tensor1d(p0));
  const params = new Map<string, Variable>([['w', p]]);
  grads.forEach((g, i) => {
    const gt = tf.tensor1d(g);
    opt.step(params, new Map<string, Tensor>([['w', gt]]), lrs[i] as number);
    gt.dispose();
  });
  const out = Array.from(p.dataSync());
  p.dispose();
  return out;
}

function close(a: number[], b: number[], tol = 1e-6): void {
  expect(a.length).to.equal(b.length);
  a.forEach((v, i) => expect(v).to.be.closeTo(b[i] as number, tol));
}

describe('optimisers', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    installPlugin(deepspikePlugin);
  });

  it('plain SGD: p - lr·g', () => {
    close(run(registry.get('optimizer', 'sgd').create(), [1, -2], [[0.5, 1]], [0.1]), [0.95, -2.1]);
  });

  it('SGD with momentum 0.9 and weight decay 0.1, two steps by hand', () => {
    // step 1: g = [0.5,1] + 0.1·[1,-2] = [0.6,0.8]; b = g; p = [1,-2] - 0.1·[0.6,0.8] = [0.94,-2.08]
    // step 2: g = [-1,0.5] + 0.1·[0.94,-2.08] = [-0.906,0.292]; b = 0.9·[0.6,0.8] + g = [-0.366,1.012]
    //         p = [0.94,-2.08] - 0.1·[-0.366,1.012] = [0.9766,-2.1812]
    const opt = registry.get('optimizer', 'sgd').create({ momentum: 0.9, weightDecay: 0.1 });
    close(run(opt, [1, -2], [[0.5, 1], [-1, 0.5]], [0.1, 0.1]), [0.9766, -2.1812]);
    expect(opt.iterations).to.equal(2);
    opt.dispose();
  });

  it('SGD with Nesterov momentum, two steps by hand', () => {
    // step 1: b = [0.5,1]; g' = g + 0.9·b = [0.95,1.9]; p = [1,-2] - 0.1·g' = [0.905,-2.19]
    // step 2: b = 0.9·[0.5,1] + [-1,0.5] = [-0.55,1.4]; g' = [-1,0.5] + 0.9·b = [-1.495,1.76]
    //         p = [0.905,-2.19] - 0.1·g' = [1.0545,-2.366]
    const opt = registry.get('optimizer', 'sgd').create({ momentum: 0.9, nesterov: true });
    close(run(opt, [1, -2], [[0.5, 1], [-1, 0.5]], [0.1, 0.1]), [1.0545, -2.366]);
    opt.dispose();
  });

  it('Adam: the first step moves each weight by lr against the sign of its gradient', () => {
    const opt = registry.get('optimizer', 'adam').create();
    close(run(opt, [1, -2], [[0.5, -3]], [0.01]), [0.99, -1.99], 1e-6);
    opt.dispose();
  });

  it('Adam: two steps by hand with the bias corrections', () => {
    // g1=[0.5], g2=[-1]; m1 = 0.05, v1 = 0.00025; m2 = 0.045 - 0.1 = -0.055, v2 = 0.00024975 + 0.001 = 0.00124975
    // step 2: mhat = -0.055/0.19, vhat = 0.00124975/(1-0.999²) ; p2 = p1 - lr·mhat/(√vhat + 1e-8)
    const p1 = 1 - 0.01;
    const mhat = -0.055 / (1 - 0.81);
    const vhat = 0.00124975 / (1 - 0.999 * 0.999);
    const p2 = p1 - (0.01 * mhat) / (Math.sqrt(vhat) + 1e-8);
    const opt = registry.get('optimizer', 'adam').create();
    close(run(opt, [1], [[0.5], [-1]], [0.01, 0.01]), [p2], 1e-6);
    opt.dispose();
  });

  it('AdamW decays the weights before the update (decoupled)', () => {
    // p·(1 - lr·wd) - lr·sign(g): 1·0.999 - 0.01 = 0.989; -2·0.999 + 0.01 = -1.988
    const opt = registry.get('optimizer', 'adamw').create({ weightDecay: 0.1 });
    close(run(opt, [1, -2], [[0.5, -3]], [0.01]), [0.989, -1.988], 1e-6);
    opt.dispose();
  });

  it('Adam with L2 weight decay adds wd·p to the gradient', () => {
    // g = [-0.05 + 0.1·1, 0.1 + 0.1·(-2)] = [0.05, -0.1]: the decay flips both signs, so the first
    // step (lr·sign(g)) goes against the raw gradient: [0.99, -1.99] instead of [1.01, -2.01]
    const opt = registry.get('optimizer', 'adam').create({ weightDecay: 0.1 });
    close(run(opt, [1, -2], [[-0.05, 0.1]], [0.01]), [0.99, -1.99], 1e-6);
    opt.dispose();
  });

  for (const [name, options] of [['sgd', { momentum: 0.9, nesterov: true, weightDecay: 1e-3 }], ['adamw', {}]] as const) {
    it(`${name}: a state restored into a new optimiser continues exactly`, () => {
      const a = registry.get('optimizer', name).create(options);
      const grads = [[0.5, -1], [0.2, 0.3], [-0.7, 0.1]];
      const full = run(a, [1, 2], grads, [0.1, 0.1, 0.05]);
      const b = registry.get('optimizer', name).create(options);
      const p = tf.variable(tf.tensor1d([1, 2]));
      const params = new Map<string, Variable>([['w', p]]);
      for (let i = 0; i < 2; i++) tf.tidy(() => b.step(params, new Map([['w', tf.tensor1d(grads[i] as number[])]]), 0.1));
      const c = registry.get('optimizer', name).create(options);
      c.loadState(b.state());
      b.dispose();
      tf.tidy(() => c.step(params, new Map([['w', tf.tensor1d(grads[2] as number[])]]), 0.05));
      expect(c.iterations).to.equal(3);
      close(Array.from(p.dataSync()), full, 1e-7);
      tf.dispose([p]);
      c.dispose();
      a.dispose();
    });
  }

  it('refuses a state with slots the optimiser does not keep', () => {
    const opt = registry.get('optimizer', 'adam').create();
    const t = tf.zeros([1]);
    expect(() => opt.loadState({ iterations: 1, tensors: { 'momentum/w': t } })).to.throw(/momentum\/w/);
    t.dispose();
  });

  it('refuses nesterov without momentum and a negative weight decay', () => {
    expect(() => registry.get('optimizer', 'sgd').create({ nesterov: true })).to.throw(/nesterov/);
    expect(() => registry.get('optimizer', 'adamw').create({ weightDecay: -1 })).to.throw(/weightDecay got -1/);
  });

  it('clips by global norm', () => {
    const grads = new Map<string, Tensor>([['a', tf.tensor1d([3])], ['b', tf.tensor1d([4])]]);
    const { grads: c, norm } = clipByGlobalNorm(grads, 1);
    expect(norm).to.be.closeTo(5, 1e-6);
    expect(c.get('a')!.dataSync()[0]).to.be.closeTo(0.6, 1e-6);
    expect(c.get('b')!.dataSync()[0]).to.be.closeTo(0.8, 1e-6);
    const { grads: u } = clipByGlobalNorm(grads, 10);
    expect(u.get('b')!.dataSync()[0]).to.equal(4);
    tf.dispose([...grads.values(), ...c.values(), ...u.values()]);
  });

  it('a step leaks no tensors beyond the slots', () => {
    const opt = registry.get('optimizer', 'adam').create();
    const p = tf.variable(tf.tensor1d([1, 2]));
    const g = tf.tensor1d([1, 1]);
    opt.step(new Map([['w', p]]), new Map([['w', g]]), 0.1);
    const before = tf.memory().numTensors;
    opt.step(new Map([['w', p]]), new Map([['w', g]]), 0.1);
    expect(tf.memory().numTensors).to.equal(before);
    opt.dispose();
    tf.dispose([p, g]);
  });
});
