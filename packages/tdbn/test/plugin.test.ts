import { expect } from 'chai';
import { installPlugin, Registry } from '@deepspike/core';
import { BatchNorm, BatchNormThroughTime, deepspikePlugin, TdBN, TemporalEffectiveBN } from '@deepspike/tdbn';

describe('deepspikePlugin (norm registry)', () => {
  it('registers tdbn, bn, bntt, tebn, mpbn with schema fragments', () => {
    const reg = new Registry();
    expect(installPlugin(deepspikePlugin, reg)).to.equal(true);
    expect(reg.names('norm')).to.deep.equal(['bn', 'bntt', 'mpbn', 'tdbn', 'tebn']);
    expect(reg.schemas().map((f) => `${f.kind}/${f.name}`)).to.deep.equal(['norm/tdbn', 'norm/bn', 'norm/bntt', 'norm/tebn', 'norm/mpbn']);
    expect(reg.list('norm').every((e) => e.plugin === '@deepspike/tdbn')).to.equal(true);
  });

  it('creates layers with the options and contract parameter names', () => {
    const reg = new Registry();
    installPlugin(deepspikePlugin, reg);
    const t = reg.get('norm', 'tdbn').create({ channels: 3, alpha: Math.SQRT1_2, vth: 0.25, name: 'bn1' });
    expect(t).to.be.instanceOf(TdBN);
    expect(t.name).to.equal('bn1');
    expect((t as TdBN).alpha).to.equal(Math.SQRT1_2);
    expect((t as TdBN).vth).to.equal(0.25);
    expect([...t.namedParameters().keys()]).to.deep.equal(['lambda', 'beta', 'runningMean', 'runningVar']);
    expect([...t.trainableParameters().keys()]).to.deep.equal(['lambda', 'beta']);
    const d = reg.get('norm', 'tdbn').create({ channels: 2 }) as TdBN;
    expect([d.alpha, d.vth, d.epsilon, d.momentum]).to.deep.equal([1, 0.5, 1e-5, 0.1]);
    const bn = reg.get('norm', 'bn').create({ channels: 2, momentum: 0.2 });
    expect(bn).to.be.instanceOf(BatchNorm);
    expect((bn as BatchNorm).momentum).to.equal(0.2);
    const bntt = reg.get('norm', 'bntt').create({ channels: 2, timesteps: 4 });
    expect(bntt).to.be.instanceOf(BatchNormThroughTime);
    expect(bntt.namedParameters().get('runningVar')!.shape).to.deep.equal([4, 2]);
    const tebn = reg.get('norm', 'tebn').create({ channels: 2, timesteps: 4 });
    expect(tebn).to.be.instanceOf(TemporalEffectiveBN);
    expect([...tebn.trainableParameters().keys()]).to.deep.equal(['lambda', 'beta', 'stepScale']);
    for (const l of [t, d, bn, bntt, tebn]) l.dispose();
  });

  it('bntt and tebn without timesteps fail in the house format', () => {
    const reg = new Registry();
    installPlugin(deepspikePlugin, reg);
    expect(() => reg.get('norm', 'bntt').create({ channels: 2 })).to.throw(
      'BatchNormThroughTime "bntt": timesteps must be a positive integer, got undefined; expected an integer >= 1. Pass timesteps (the number of time steps T).',
    );
    expect(() => reg.get('norm', 'tebn').create({ channels: 2 })).to.throw(/^TemporalEffectiveBN "tebn": timesteps must be a positive integer/);
  });
});
