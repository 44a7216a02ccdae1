import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dslMessages as m } from '@deepspike/dsl';
import { capture } from './capture.js';

const VALID = JSON.stringify(
  {
    name: 'tiny',
    input: { shape: [8, 8, 1] },
    timesteps: 2,
    layers: [{ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'norm' }, { type: 'neuron' }, { type: 'flatten' }, { type: 'linear', units: 10 }],
  },
  null,
  2,
);
// line 4: `  "timesteps": 0,` -> the value at column 16; line 5: the layer type value at column 24
const BROKEN = '{\n  "name": "broken",\n  "input": { "shape": [4] },\n  "timesteps": 0,\n  "layers": [{ "type": "lineer", "units": 2 }]\n}\n';

describe('deepspike validate', () => {
  let dir: string;
  let valid: string;
  let broken: string;
  let empty: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-validate-'));
    valid = join(dir, 'tiny.snn.json');
    broken = join(dir, 'broken.snn.json');
    empty = join(dir, 'empty.snn.json');
    writeFileSync(valid, VALID);
    writeFileSync(broken, BROKEN);
    writeFileSync(empty, '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const layerTypes = ['conv2d', 'linear', 'norm', 'neuron', 'pool', 'globalAvgPool', 'flatten', 'dropout', 'residual', 'spikformerPatchSplit', 'spikformerBlock', 'repeat'];

  it('exits 0 and says so when every file is valid', async () => {
    const r = await capture(['validate', valid]);
    expect(r).to.deep.equal({ code: 0, out: `${valid}: valid`, err: '' });
  });

  it('exits 1 listing every problem as file:line:column  /path  message', async () => {
    const r = await capture(['validate', valid, broken]);
    expect(r.code).to.equal(1);
    expect(r.out).to.equal(`${valid}: valid`);
    expect(r.err.split('\n')).to.deep.equal([
      `${broken}:4:16  /timesteps  ${m.bound(0, '>=', 1)}`,
      `${broken}:5:24  /layers/0/type  ${m.unknownLayerType('lineer', layerTypes, 'linear')}`,
      'deepspike validate: 1 of 2 files not valid, got 2 problems; expected none. Fix the lines listed above.',
    ]);
  });

  it('--json prints {file, valid, errors} per file and still exits 1', async () => {
    const r = await capture(['validate', '--json', valid, empty]);
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.out)).to.deep.equal([
      { file: valid, valid: true, errors: [] },
      { file: empty, valid: false, errors: [{ path: '', line: 1, column: 1, message: m.empty() }] },
    ]);
  });

  it('reports a missing file instead of crashing', async () => {
    const missing = join(dir, 'missing.snn.json');
    const r = await capture(['validate', '--json', missing]);
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.out)).to.deep.equal([{ file: missing, valid: false, errors: [{ path: '', line: 0, column: 0, message: m.unreadable('ENOENT') }] }]);
  });

  it('exits 1 with a plugin error when --plugin names a package that is not installed', async () => {
    const r = await capture(['validate', valid, '--plugin', '@acme/not-installed']);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('--plugin "@acme/not-installed": not found, got no node_modules/@acme/not-installed in ').and.contain('Install it where the command runs (`npm install @acme/not-installed`');
  });
});
