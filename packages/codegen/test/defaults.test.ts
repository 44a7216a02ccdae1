import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SPEC_DEFAULTS } from '@deepspike/codegen';

const resolve = createRequire(import.meta.url).resolve;
type Schema = { $defs: Record<string, { properties: Record<string, { default?: unknown }> }> };
const schema = (file: string): Schema => JSON.parse(readFileSync(resolve(`@deepspike/dsl/schemas/${file}`), 'utf8')) as Schema;
const defaultOf = (file: string, def: string, prop: string): unknown => schema(file).$defs[def]?.properties[prop]?.default;

describe('SPEC_DEFAULTS', () => {
  it('mirror the defaults of the DSL schemas', () => {
    const c = SPEC_DEFAULTS.conv2d;
    expect([c.stride, c.padding, c.bias]).to.deep.equal(['stride', 'padding', 'bias'].map((p) => defaultOf('layers.schema.json', 'Conv2dLayer', p)));
    expect(SPEC_DEFAULTS.linear.bias).to.equal(defaultOf('layers.schema.json', 'LinearLayer', 'bias'));
    expect(SPEC_DEFAULTS.normLayer.alpha).to.equal(defaultOf('layers.schema.json', 'NormLayer', 'alpha'));
    expect([SPEC_DEFAULTS.pool.mode, SPEC_DEFAULTS.pool.padding]).to.deep.equal(['mode', 'padding'].map((p) => defaultOf('layers.schema.json', 'PoolLayer', p)));
    const r = SPEC_DEFAULTS.residual;
    expect([r.block, r.stride, r.expansion, r.shortcut, r.alpha, r.connect]).to.deep.equal(
      ['block', 'stride', 'expansion', 'shortcut', 'alpha', 'connect'].map((p) => defaultOf('layers.schema.json', 'ResidualLayer', p)),
    );
    expect(SPEC_DEFAULTS.spikformerPatchSplit.pools).to.equal(defaultOf('layers.schema.json', 'SpikformerPatchSplitLayer', 'pools'));
    const sb = SPEC_DEFAULTS.spikformerBlock;
    expect([sb.mlpRatio, sb.scale]).to.deep.equal(['mlpRatio', 'scale'].map((p) => defaultOf('layers.schema.json', 'SpikformerBlockLayer', p)));
    const model = JSON.parse(readFileSync(resolve('@deepspike/dsl/schemas/model.schema.json'), 'utf8')) as {
      properties: Record<string, { default?: unknown }>;
      $defs: { Input: { properties: Record<string, { default?: unknown }> } };
    };
    expect(SPEC_DEFAULTS.readout).to.equal(model.properties.readout?.default);
    expect(SPEC_DEFAULTS.encoding).to.equal(model.$defs.Input.properties.encoding?.default);
    expect(SPEC_DEFAULTS.seed).to.equal(defaultOf('training.schema.json', 'Training', 'seed'));
  });
});
