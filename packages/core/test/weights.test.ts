import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Layer, SeqToANN, SpikingModel, WeightsMismatchError, initBackend } from '@deepspike/core';

class Dense extends Layer {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  readonly count: tf.Variable;
  constructor(name: string, inF: number, outF: number, seed: number) {
    super(name);
    this.kernel = this.addParam('kernel', tf.randomNormal([inF, outF], 0, 1, 'float32', seed));
    this.bias = this.addParam('bias', tf.randomNormal([outF], 0, 1, 'float32', seed + 1));
    this.count = this.addParam('count', tf.zeros([1]), { trainable: false });
  }
  forward(x: Tensor): Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.kernel as tf.Tensor2D), this.bias);
  }
}

class TwoLayer extends SpikingModel {
  readonly fc1: SeqToANN<Dense>;
  readonly fc2: SeqToANN<Dense>;
  constructor(seed: number, width = 5) {
    super('two', 2);
    this.fc1 = this.addChild('fc1', new SeqToANN('fc1', new Dense('fc1', 3, width, seed)));
    this.fc2 = this.addChild('fc2', new SeqToANN('fc2', new Dense('fc2', width, 2, seed + 10)));
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x));
  }
}

describe('layers, models and weights', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });

  it('names parameters by path and separates buffers from trainables', () => {
    const m = new TwoLayer(1);
    expect([...m.namedParameters().keys()]).to.deep.equal([
      'fc1.inner.kernel', 'fc1.inner.bias', 'fc1.inner.count', 'fc2.inner.kernel', 'fc2.inner.bias', 'fc2.inner.count',
    ]);
    expect([...m.trainableParameters().keys()]).to.not.include('fc1.inner.count');
    expect(m.countParameters()).to.equal(3 * 5 + 5 + 5 * 2 + 2);
    m.setTraining(false);
    expect(m.fc1.inner.training).to.equal(false);
  });

  it('runs stateless layers on the merged [T*N] view', () => {
    const m = new TwoLayer(2);
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3);
    const y = m.forward(x);
    expect(y.shape).to.deep.equal([2, 4, 2]);
    const step1 = m.fc2.inner.forward(m.fc1.inner.forward(tf.reshape(tf.slice(x, [1, 0, 0], [1, 4, 3]), [4, 3])));
    expect(Array.from(tf.slice(y, [1, 0, 0], [1, 4, 2]).dataSync())).to.deep.equal(Array.from(step1.dataSync()));
  });

  it('round-trips weights through a file:// directory in tf.js format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-weights-'));
    const a = new TwoLayer(5);
    a.fc1.inner.count.assign(tf.tensor1d([7]));
    await a.saveWeights(`file://${dir}`, { specHash: 'abc' });
    const files = readdirSync(dir).sort();
    expect(files).to.have.length(2);
    expect(files[0]).to.match(/^model\.json$/);
    expect(files[1]).to.match(/^weights-[0-9a-f]{16}\.bin$/);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).to.deep.equal([files[1]]);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).to.include('fc2.inner.kernel');

    const b = new TwoLayer(99);
    const meta = await b.loadWeights(`file://${dir}`);
    expect(meta).to.deep.equal({ specHash: 'abc' });
    for (const [k, v] of a.namedParameters()) {
      expect(Array.from(b.namedParameters().get(k)!.dataSync()), k).to.deep.equal(Array.from(v.dataSync()));
    }
    // a second save replaces the weight file and leaves no temporary files behind
    a.fc2.inner.bias.assign(tf.tensor1d([1, 2]));
    await a.saveWeights(`file://${dir}`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin') || f.includes('.tmp-'))).to.have.length(1);
    await b.loadWeights(`file://${dir}`);
    expect(Array.from(b.fc2.inner.bias.dataSync())).to.deep.equal([1, 2]);
  });

  it('round-trips weights in memory through tf.io handlers', async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    const a = new TwoLayer(8);
    await a.saveWeights(tf.io.withSaveHandler(async (art) => {
      saved = art;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(art) };
    }));
    const b = new TwoLayer(9);
    await b.loadWeights(tf.io.fromMemory(saved!));
    expect(Array.from(b.fc1.inner.kernel.dataSync())).to.deep.equal(Array.from(a.fc1.inner.kernel.dataSync()));
  });

  it('refuses weights of another model, naming what differs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-weights-'));
    await new TwoLayer(1, 5).saveWeights(`file://${dir}`);
    const wider = new TwoLayer(1, 6);
    try {
      await wider.loadWeights(`file://${dir}`);
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(WeightsMismatchError);
      expect((err as Error).message).to.equal(
        'loadWeights: weight "fc1.inner.kernel" has shape [3, 5], got [3, 5]; expected [3, 6]. Load a checkpoint saved from the same model definition.',
      );
    }
    try {
      await wider.loadWeights(`file://${join(dir, 'nope')}`);
      expect.fail('expected an error');
    } catch (err) {
      expect((err as Error).message).to.match(/^loadWeights: cannot read .*nope\/model\.json, got ENOENT; expected a directory written by saveWeights\./);
    }
  });
});
