import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  checkModel,
  checkModelSync,
  dslMessages as m,
  loadDslPlugins,
  MAX_MODEL_FILE_BYTES,
  validateModel,
  validateModelFile,
  validateModelSync,
  type ResidualLayer,
} from '@deepspike/dsl';
import { fixture } from './helpers.js';

describe('validateModel / validateModelFile', () => {
  before(async () => {
    await loadDslPlugins();
  });

  for (const name of ['mnist-conv', 'resnet19-cifar10', 'resnet50-bottleneck']) {
    it(`accepts valid/${name}.snn.json`, async () => {
      const spec = await validateModelFile(fixture(`valid/${name}.snn.json`));
      expect(spec.layers.length).to.be.greaterThan(0);
    });
  }

  it('fills schema defaults into the returned spec', async () => {
    const spec = await validateModelFile(fixture('valid/mnist-conv.snn.json'));
    expect(spec.defaults?.norm).to.deep.equal({ kind: 'tdbn', epsilon: 1e-5, momentum: 0.1, options: {} });
    expect(spec.defaults?.neuron?.detachReset).to.equal(false);
    expect(spec.input.encoderOptions).to.deep.equal({});
    expect(spec.layers[0]).to.deep.equal({ type: 'conv2d', name: 'conv1', filters: 16, kernel: 3, stride: 1, padding: 'same', bias: false });
    expect(spec.layers[1]).to.deep.equal({ type: 'norm', alpha: 1 });
    expect(spec.training?.checkpointEvery).to.equal(1);
    expect(spec.training?.schedule).to.deep.equal({ name: 'constant', options: {} });
  });

  it('sets alpha = 1/sqrt(2) on residual branches unless given', async () => {
    const resnet = await validateModelFile(fixture('valid/resnet19-cifar10.snn.json'));
    expect((resnet.layers[4] as ResidualLayer).alpha).to.equal(Math.SQRT1_2);
    const tiny = await validateModelFile(fixture('valid/resnet50-bottleneck.snn.json'));
    expect((tiny.layers[6] as ResidualLayer).alpha).to.equal(0.5);
  });

  it('fills the default surrogate (the paper rectangle, alpha 1) when defaults are left out', async () => {
    const spec = await validateModel({ name: 'tiny', input: { shape: [4] }, timesteps: 2, layers: [{ type: 'linear', units: 2 }] });
    expect(spec.defaults?.neuron).to.deep.equal({
      kind: 'lif',
      vth: 0.5,
      tau: 0.25,
      surrogate: { name: 'rect', params: { alpha: 1 } },
      detachReset: false,
      options: {},
    });
    expect(spec.readout).to.equal('membrane');
  });

  it('validates an object without touching it, with problems at line 0', () => {
    const input = { name: 'tiny', input: { shape: [4] }, timesteps: 0, layers: [{ type: 'linear', units: 2 }] };
    const before = structuredClone(input);
    const r = checkModelSync(input, { file: 'obj' });
    expect(input).to.deep.equal(before);
    expect(r.problems).to.deep.equal([{ file: 'obj', path: '/timesteps', line: 0, column: 0, message: m.bound(0, '>=', 1) }]);
  });

  it('gives the same spec for text and for the parsed object', async () => {
    const text = readFileSync(fixture('valid/resnet19-cifar10.snn.json'), 'utf8');
    expect(await validateModel(text)).to.deep.equal(await validateModel(JSON.parse(text) as object));
  });

  it('refuses text over the size limit before parsing', () => {
    const text = `{"name": "x", "description": "${'y'.repeat(MAX_MODEL_FILE_BYTES)}"}`;
    const r = checkModelSync(text, { file: 'big' });
    expect(r.problems).to.deep.equal([{ file: 'big', path: '', line: 1, column: 1, message: m.tooLarge(Buffer.byteLength(text), MAX_MODEL_FILE_BYTES) }]);
  });

  it('reports a missing file as unreadable', async () => {
    const r = await checkModel('{}', { file: 'x' });
    expect(r.valid).to.equal(false);
    const missing = await validateModelFile(fixture('valid/does-not-exist.snn.json')).catch((e: Error) => e.message);
    expect(missing).to.equal(`${fixture('valid/does-not-exist.snn.json')}  /  ${m.unreadable('ENOENT')}`);
  });

  it('lists every problem of a file at once, in source order', () => {
    const text = [
      '{',
      '  "name": "Many",',
      '  "input": { "shape": [28, 28, 1], "encodin": "direct" },',
      '  "timesteps": 1.5,',
      '  "layers": [{ "type": "conv2d", "filters": 0, "kernel": [3] }],',
      '  "readout": "membrain"',
      '}',
    ].join('\n');
    const r = checkModelSync(text, { file: 'f' });
    expect(r.problems.map((p) => `${p.line}:${p.column} ${p.path}`)).to.deep.equal([
      '2:11 /name',
      '3:36 /input/encodin',
      '4:16 /timesteps',
      '5:45 /layers/0/filters',
      '5:58 /layers/0/kernel',
      '6:14 /readout',
    ]);
    expect(r.problems[0]?.message).to.equal(m.badName('Many', 'lower-kebab-case', 'resnet19-cifar10'));
    expect(r.problems[4]?.message).to.equal(m.itemCount(1, 'at least', 2));
    expect(r.problems[5]?.message).to.equal(m.notInEnum('membrain', ['membrane', 'rate', 'tet'], 'membrane'));
  });

  it('skips a UTF-8 byte order mark and keeps columns', () => {
    const r = checkModelSync('\ufeff{"name": "x", "input": {"shape": [1]}, "timesteps": -1, "layers": [{"type": "flatten"}]}', { file: 'bom' });
    expect(r.problems.map((p) => [p.path, p.line, p.column])).to.deep.equal([['/timesteps', 1, 53]]);
  });

  it('validateModelSync throws for an invalid model and returns the spec for a valid one', () => {
    expect(() => validateModelSync({ name: 'x' })).to.throw(m.missingProperty('input', 'The dataset sample one network input is built from, and how it becomes a spike sequence.'));
    expect(validateModelSync({ name: 'x', input: { shape: [3] }, timesteps: 1, layers: [{ type: 'linear', units: 1 }] }).name).to.equal('x');
  });
});
