import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@deepspike/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDerivative, checkGrad, expectClose, goldenSequenceNHWC, loadGolden, median, medianTimeMs, testdataDir, type GoldenTensor } from '@deepspike/core/testing';

describe('@deepspike/core/testing', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('checkGrad accepts a correct gradient and rejects a wrong one', () => {
    const x = tf.tensor1d([0.3, -1.2, 2.0]);
    const ok = checkGrad((a) => tf.sum(tf.mul(tf.sin(a), a)), [x]);
    expect(ok.checked).to.equal(3);
    const wrong = tf.customGrad(((a: tf.Tensor) => ({ value: tf.sum(tf.square(a)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, a) })) as unknown as Parameters<typeof tf.customGrad>[0]);
    expect(() => checkGrad((a) => wrong(a) as tf.Tensor, [x])).to.throw(/checkGrad: 3 of 3 gradient elements differ/);
  });

  it('checkDerivative compares in doubles', () => {
    expect(checkDerivative(Math.sin, Math.cos, [0, 0.5, 1])).to.be.lessThan(1e-9);
    expect(() => checkDerivative(Math.sin, Math.sin, [1])).to.throw(/at x=1/);
  });

  it('expectClose reports the worst elements', () => {
    expectClose([1, 2], [1, 2.00001]);
    expect(() => expectClose([1, 3], [1, 2], {}, 'y')).to.throw('y: 1 of 2 elements differ beyond atol 0.000001, rtol 0.00001; worst: [1] 3 vs 2 (diff 1.00e+0)');
  });

  it('median takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(() => median([])).to.throw('median: no values');
  });

  it('medianTimeMs calls f warm-up + reps times and leaks no tensor', () => {
    let calls = 0;
    const before = tf.memory().numTensors;
    const ms = medianTimeMs(() => (calls++, tf.ones([4])), 3, 2);
    expect(calls).to.equal(5);
    expect(ms).to.be.at.least(0);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('finds testdata/ inside the repository, from any folder below its root', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    expect(testdataDir(join(root, 'packages', 'core', 'test'))).to.equal(join(root, 'testdata'));
    expect(testdataDir()).to.equal(join(root, 'testdata'));
  });

  it('testdataDir names the way out when no workspace root is above the folder', () => {
    const outside = mkdtempSync(join(tmpdir(), 'deepspike-no-repo-'));
    try {
      mkdirSync(join(outside, 'a'));
      writeFileSync(join(outside, 'a', 'package.json'), '{"name": "not-a-workspace"}');
      expect(() => testdataDir(join(outside, 'a'))).to.throw(/testdataDir: no workspace root .* above .*deepspike-no-repo-.*set DEEPSPIKE_TESTDATA_DIR/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reads the golden vectors of testdata/golden and converts [T,N,C,H,W] to [T,N,H,W,C]', () => {
    const g = loadGolden<{ x: GoldenTensor }>('lif_stbp.json');
    expect(g.x.shape).to.deep.equal([4, 3, 2, 3, 3]);
    const x = goldenSequenceNHWC(g.x);
    expect(x.shape).to.deep.equal([4, 3, 3, 3, 2]);
    // element [t=1, n=2, c=1, h=0, w=2] in the source layout
    const src = g.x.data[(((1 * 3 + 2) * 2 + 1) * 3 + 0) * 3 + 2] as number;
    expect((x.arraySync() as number[][][][][])[1]![2]![0]![2]![1]).to.equal(Math.fround(src));
  });
});
