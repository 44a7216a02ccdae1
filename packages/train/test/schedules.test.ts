import { expect } from 'chai';
import { initBackend, installPlugin, registry } from '@deepspike/core';
import { deepspikePlugin } from '@deepspike/train';

describe('schedules', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
    installPlugin(deepspikePlugin);
  });

  it('cosine decays from lr to minLr over totalSteps', () => {
    const s = registry.get('schedule', 'cosine').create({ lr: 0.1, totalSteps: 10 });
    expect(s.lr(0)).to.be.closeTo(0.1, 1e-12);
    expect(s.lr(5)).to.be.closeTo(0.05, 1e-12);
    expect(s.lr(10)).to.be.closeTo(0, 1e-12);
    expect(s.lr(20)).to.be.closeTo(0, 1e-12);
    const m = registry.get('schedule', 'cosine').create({ lr: 0.1, totalSteps: 10, minLr: 0.02 });
    expect(m.lr(5)).to.be.closeTo(0.06, 1e-12);
  });

  it('cosine after a linear warm-up', () => {
    const s = registry.get('schedule', 'cosine').create({ lr: 0.1, totalSteps: 12, warmupSteps: 2 });
    expect(s.lr(0)).to.be.closeTo(0.05, 1e-12);
    expect(s.lr(1)).to.be.closeTo(0.1, 1e-12);
    expect(s.lr(2)).to.be.closeTo(0.1, 1e-12);
    expect(s.lr(7)).to.be.closeTo(0.05, 1e-12);
  });

  it('step decays by gamma every stepSize steps', () => {
    const s = registry.get('schedule', 'step').create({ lr: 1, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6].map((i) => s.lr(i))).to.deep.equal([1, 1, 0.5, 0.5, 0.25]);
  });

  it('warmup rises linearly then holds', () => {
    const s = registry.get('schedule', 'warmup').create({ lr: 0.2, warmupSteps: 4 });
    expect(s.lr(0)).to.be.closeTo(0.05, 1e-12);
    expect(s.lr(2)).to.be.closeTo(0.15, 1e-12);
    expect(s.lr(3)).to.be.closeTo(0.2, 1e-12);
    expect(s.lr(100)).to.be.closeTo(0.2, 1e-12);
  });

  it('refuses bad options with the option named', () => {
    expect(() => registry.get('schedule', 'cosine').create({ lr: 0.1 })).to.throw(/cosine schedule: option totalSteps got undefined/);
    expect(() => registry.get('schedule', 'step').create({ lr: 0.1, stepSize: 0 })).to.throw(/option stepSize got 0/);
    expect(() => registry.get('schedule', 'constant').create({ lr: -1 })).to.throw(/option lr got -1/);
    const s = registry.get('schedule', 'constant').create({ lr: 1 });
    expect(() => s.lr(-1)).to.throw(/step got -1/);
  });
});
