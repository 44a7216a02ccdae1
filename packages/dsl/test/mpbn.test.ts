import { expect } from 'chai';
import { checkModelSync, dslMessages as m } from '@deepspike/dsl';

const spec = (layers: unknown[]) => JSON.stringify({ name: 'mp', input: { shape: [6, 6, 1], encoding: 'direct' }, timesteps: 2, layers, readout: 'membrane' }, null, 2);
const conv = { type: 'conv2d', filters: 2, kernel: 3, padding: 1 };
const tail = [{ type: 'flatten' }, { type: 'linear', units: 2 }];

describe('the mpbn norm must come right before a LIF/IF/PLIF neuron layer', () => {
  it('accepts conv -> bn -> mpbn -> lif (and a default mpbn before if)', () => {
    expect(checkModelSync(spec([conv, { type: 'norm', kind: 'bn' }, { type: 'norm', kind: 'mpbn' }, { type: 'neuron', kind: 'lif' }, ...tail])).problems).to.deep.equal([]);
    const withDefault = JSON.parse(spec([conv, { type: 'norm' }, { type: 'neuron', kind: 'if' }, ...tail])) as Record<string, unknown>;
    withDefault.defaults = { norm: { kind: 'mpbn' } };
    expect(checkModelSync(JSON.stringify(withDefault, null, 2)).problems).to.deep.equal([]);
  });

  it('locates an mpbn before another layer, before a neuron it cannot run in, or at the end', () => {
    const text = spec([conv, { type: 'norm', kind: 'mpbn' }, { type: 'pool', mode: 'avg', size: 2 }, { type: 'neuron' }, ...tail]);
    const r = checkModelSync(text);
    expect(r.valid).to.equal(false);
    const p = r.problems.find((q) => q.path === '/layers/1');
    expect(p?.message).to.equal(m.mpbnNotBeforeNeuron('a "pool" layer'));
    expect(p?.line).to.be.a('number');
    const cuba = checkModelSync(spec([conv, { type: 'norm', kind: 'mpbn' }, { type: 'neuron', kind: 'cubalif' }, ...tail]));
    expect(cuba.problems.map((q) => [q.path, q.message])).to.deep.include(['/layers/1', m.mpbnNotBeforeNeuron('a neuron layer of kind "cubalif"')]);
  });
});
