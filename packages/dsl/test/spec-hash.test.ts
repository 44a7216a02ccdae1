import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson, specHash, validateModel, type ModelSpec } from '@deepspike/dsl';
import { fixture } from './helpers.js';

describe('specHash', () => {
  const text = readFileSync(fixture('valid/mnist-conv.snn.json'), 'utf8');

  it('is the sha256 of the canonical JSON (sorted keys) without $schema and description', () => {
    const spec = { $schema: 'x', name: 'n', description: 'd', timesteps: 2, input: { shape: [3] }, layers: [{ units: 1, type: 'linear' }] } as unknown as ModelSpec;
    const canonical = '{"input":{"shape":[3]},"layers":[{"type":"linear","units":1}],"name":"n","timesteps":2}';
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).to.equal('{"a":null,"b":[{"c":2,"d":1}]}');
    expect(specHash(spec)).to.equal(createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not change with formatting, key order, description or spelled-out defaults', async () => {
    const a = await validateModel(text);
    const reordered = JSON.parse(text) as Record<string, unknown>;
    const shuffled = Object.fromEntries(Object.entries(reordered).reverse());
    shuffled.description = 'another description';
    (shuffled.layers as Record<string, unknown>[])[0] = { kernel: 3, bias: false, filters: 16, stride: 1, name: 'conv1', type: 'conv2d' };
    const b = await validateModel(JSON.stringify(shuffled));
    expect(specHash(b)).to.equal(specHash(a));
  });

  it('changes with the network, and with training unless architectureOnly', async () => {
    const a = await validateModel(text);
    const wider = JSON.parse(text) as { layers: { filters?: number }[]; training: { epochs: number } };
    wider.layers[0]!.filters = 17;
    expect(specHash(await validateModel(JSON.stringify(wider)))).to.not.equal(specHash(a));
    const longer = JSON.parse(text) as { training: { epochs: number } };
    longer.training.epochs = 3;
    const b = await validateModel(JSON.stringify(longer));
    expect(specHash(b)).to.not.equal(specHash(a));
    expect(specHash(b, { architectureOnly: true })).to.equal(specHash(a, { architectureOnly: true }));
  });
});
