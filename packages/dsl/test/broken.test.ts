import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry } from '@deepspike/core';
import { checkModelFile, DslError, dslMessages as m, loadDslPlugins, MAX_MODEL_FILE_BYTES, validateModelFile, type DslProblem } from '@deepspike/dsl';
import { fixture } from './helpers.js';

const LAYER_TYPES = ['conv2d', 'linear', 'norm', 'neuron', 'pool', 'globalAvgPool', 'flatten', 'dropout', 'residual', 'spikformerPatchSplit', 'spikformerBlock', 'repeat'];
const conv2dProps = ['type', 'name', 'inputs', 'filters', 'kernel', 'stride', 'padding', 'bias'];

interface Expected {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: () => string;
}

/** Every deliberately broken fixture, with the one problem (or problems) it must give, in order. */
const CASES: Record<string, readonly Expected[]> = {
  'wrong-type': [{ path: '/timesteps', line: 4, column: 16, message: () => m.wrongType('4', ['integer']) }],
  'missing-required': [
    { path: '', line: 1, column: 1, message: () => m.missingProperty('input', 'The dataset sample one network input is built from, and how it becomes a spike sequence.') },
    { path: '/layers/1', line: 6, column: 5, message: () => m.missingProperty('units', 'Number of outputs.') },
  ],
  'unknown-layer-type': [{ path: '/layers/0/type', line: 6, column: 15, message: () => m.unknownLayerType('conv2', LAYER_TYPES, 'conv2d') }],
  'negative-kernel': [{ path: '/layers/0/kernel', line: 6, column: 49, message: () => m.bound(-3, '>=', 1) }],
  'stride-does-not-divide': [
    { path: '/layers/1/stride', line: 7, column: 59, message: () => m.strideDoesNotDivide('pool', 'height and width', 28, 2, 3, 0, 2) },
  ],
  'residual-shape-mismatch': [{ path: '/layers/3', line: 9, column: 5, message: () => m.residualMismatch([32, 32, 64], [16, 16, 128]) }],
  'unknown-surrogate': [
    {
      path: '/defaults/neuron/surrogate/name',
      line: 6,
      column: 40,
      message: () => m.unknownName('surrogate', 'sigmiod', registry.names('surrogate'), 'sigmoid', '@deepspike/surrogate'),
    },
  ],
  'trailing-comma': [{ path: '', line: 6, column: 38, message: () => m.trailingComma() }],
  truncated: [{ path: '', line: 6, column: 38, message: () => m.truncated('an array') }],
  empty: [{ path: '', line: 1, column: 1, message: () => m.empty() }],
  'unknown-property': [
    { path: '/layers/0/strides', line: 6, column: 52, message: () => m.unknownProperty('strides', conv2dProps, 'stride') },
  ],
  'linear-before-flatten': [{ path: '/layers/1', line: 7, column: 5, message: () => m.needsFlat('linear', [28, 28, 8]) }],
  'input-rank': [{ path: '/input/shape', line: 3, column: 23, message: () => m.inputRank([28, 28]) }],
  'timesteps-zero': [{ path: '/timesteps', line: 4, column: 16, message: () => m.bound(0, '>=', 1) }],
  'unknown-encoding': [
    { path: '/input/encoding', line: 3, column: 42, message: () => m.unknownName('encoding', 'possion', [...registry.names('encoder'), 'events'], 'poisson', '@deepspike/core') },
  ],
  'tet-loss-needs-tet-readout': [{ path: '/training/loss', line: 6, column: 57, message: () => m.tetNeedsTetReadout('membrane') }],
  'readout-after-neuron': [{ path: '/readout', line: 6, column: 14, message: () => m.readoutNeedsLinear('membrane', 'neuron') }],
  'not-an-object': [{ path: '', line: 1, column: 1, message: () => m.notAnObject([1, 2, 3]) }],
  'window-too-large': [{ path: '/layers/0/kernel', line: 6, column: 49, message: () => m.windowTooLarge('conv2d', [5], [4]) }],
  'unknown-dataset': [
    { path: '/training/dataset/name', line: 6, column: 38, message: () => m.unknownName('dataset', 'mnsit', registry.names('dataset'), 'mnist', '@deepspike/datasets') },
  ],
};

describe('broken model files', () => {
  before(async () => {
    await loadDslPlugins();
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}.snn.json: ${expected.length} problem(s) with message, path and line:column`, async () => {
      const file = fixture(`broken/${name}.snn.json`);
      const result = await checkModelFile(file);
      expect(result.valid).to.equal(false);
      const got = result.problems.map((p: DslProblem) => ({ file: p.file, path: p.path, line: p.line, column: p.column, message: p.message }));
      expect(got).to.deep.equal(expected.map((e) => ({ file, path: e.path, line: e.line, column: e.column, message: e.message() })));
    });
  }

  it('throws DslError whose message lists each problem as file:line:column  /path  message', async () => {
    const file = fixture('broken/missing-required.snn.json');
    const err = await validateModelFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DslError);
    expect((err as DslError).message).to.equal(
      [`${file}:1:1  /  ${m.missingProperty('input', 'The dataset sample one network input is built from, and how it becomes a spike sequence.')}`, `${file}:6:5  /layers/1  ${m.missingProperty('units', 'Number of outputs.')}`].join('\n'),
    );
  });

  it('refuses a 50 MB file by its size, without reading it', async function () {
    this.timeout(20000);
    const dir = mkdtempSync(join(tmpdir(), 'deepspike-dsl-'));
    try {
      const file = join(dir, 'huge.snn.json');
      // A valid-looking prefix and 50 MB of padding inside the description.
      writeFileSync(file, `{"name": "huge", "description": "${'x'.repeat(50 * 1024 * 1024)}"}`);
      const size = statSync(file).size;
      expect(size).to.be.greaterThan(50 * 1024 * 1024);
      const started = Date.now();
      const result = await checkModelFile(file);
      expect(result.problems).to.deep.equal([{ file, path: '', line: 1, column: 1, message: m.tooLarge(size, MAX_MODEL_FILE_BYTES) }]);
      expect(Date.now() - started).to.be.lessThan(5000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
