import { expect } from 'chai';
import { checkModelSync, dslMessages as m, inferShapes, type ModelSpec } from '@deepspike/dsl';

/** A residual add (fan-out of lif1 into conv2 and lif2) and a recurrent CubaLIF, as NIR graphs hold them. */
const GRAPH = {
  name: 'graph-net',
  input: { shape: [8, 8, 2], encoding: 'events' },
  timesteps: 4,
  defaults: { norm: { kind: 'none' } },
  layers: [
    { type: 'conv2d', name: 'conv1', filters: 4, kernel: 3, padding: 1 },
    { type: 'neuron', name: 'lif1', kind: 'lif' },
    { type: 'conv2d', name: 'conv2', filters: 4, kernel: 3, padding: 1 },
    { type: 'neuron', name: 'lif2', kind: 'lif', inputs: ['conv2', 'lif1'] },
    { type: 'flatten', name: 'flat' },
    { type: 'linear', name: 'fc1', units: 6 },
    { type: 'neuron', name: 'syn1', kind: 'cubalif', options: { alpha: 0.5 }, recurrent: { bias: false } },
    { type: 'linear', name: 'fc2', units: 3, inputs: ['syn1'] },
    { type: 'neuron', name: 'out', kind: 'li' },
  ],
  readout: 'rate',
};

const withLayer = (i: number, patch: Record<string, unknown>): string =>
  JSON.stringify({ ...GRAPH, layers: GRAPH.layers.map((l, j) => (j === i ? { ...l, ...patch } : l)) }, null, 2);

describe('graph-shaped models: inputs (sums, fan-out) and recurrent neurons', () => {
  it('validates; shapes follow the named inputs', () => {
    const r = checkModelSync(JSON.stringify(GRAPH, null, 2));
    expect(r.problems).to.deep.equal([]);
    const report = inferShapes(r.spec as ModelSpec);
    expect(report.layers.map((l) => [l.name, l.input, l.output])).to.deep.equal([
      ['conv1', [8, 8, 2], [8, 8, 4]],
      ['lif1', [8, 8, 4], [8, 8, 4]],
      ['conv2', [8, 8, 4], [8, 8, 4]],
      ['lif2', [8, 8, 4], [8, 8, 4]],
      ['flat', [8, 8, 4], [256]],
      ['fc1', [256], [6]],
      ['syn1', [6], [6]],
      ['fc2', [6], [3]],
      ['out', [3], [3]],
    ]);
  });

  it('an unknown input is located (JSON path and line:column) with a did-you-mean', () => {
    const text = withLayer(3, { inputs: ['conv2', 'lifl'] });
    const r = checkModelSync(text);
    expect(r.valid).to.equal(false);
    const p = r.problems[0];
    expect(p?.path).to.equal('/layers/3/inputs/1');
    const line = text.split('\n').findIndex((l) => l.includes('"lifl"')) + 1;
    expect([p?.line, p?.column]).to.deep.equal([line, text.split('\n')[line - 1]?.indexOf('"lifl"') as number + 1]);
    expect(p?.message).to.equal(m.unknownInput('lifl', ['input', 'conv1', 'lif1', 'conv2'], 'lif1'));
  });

  it('refuses a forward reference (feedback belongs in "recurrent")', () => {
    const r = checkModelSync(withLayer(1, { inputs: ['lif2'] }));
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.equal([['/layers/1/inputs/0', m.laterInput('lif2')]]);
  });

  it('refuses inputs of different shapes, naming both', () => {
    const r = checkModelSync(withLayer(3, { inputs: ['conv2', 'input'] }));
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.equal([['/layers/3/inputs', m.inputShapesDiffer(['conv2', 'input'], [[8, 8, 4], [8, 8, 2]])]]);
  });

  it('refuses a recurrent neuron on an image-shaped input', () => {
    const r = checkModelSync(withLayer(1, { recurrent: {} }));
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.equal([['/layers/1/recurrent', m.recurrentNeedsFlat([8, 8, 4])]]);
  });

  it('refuses inputs inside a repeat', () => {
    const spec = { ...GRAPH, layers: [{ type: 'repeat', times: 2, layers: [{ type: 'conv2d', filters: 2, kernel: 3, inputs: ['input'] }] }, ...GRAPH.layers] };
    const r = checkModelSync(JSON.stringify(spec));
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.equal([['/layers/0/layers/0/inputs', m.inputsInRepeat()]]);
  });

  it('the schema refuses unknown keys of "recurrent" and names that are not layer names', () => {
    const r = checkModelSync(withLayer(6, { recurrent: { bias: false, weight: 1 } }));
    expect(r.problems[0]?.path).to.equal('/layers/6/recurrent/weight');
    const r2 = checkModelSync(withLayer(3, { inputs: ['Conv2'] }));
    expect(r2.problems[0]?.path).to.equal('/layers/3/inputs/0');
  });
});
