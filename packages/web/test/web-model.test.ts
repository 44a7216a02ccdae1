import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type SpikingModel } from '@deepspike/core';
import { loadWebModel, fetchCheckpoint } from '@deepspike/web';
import { serveDir } from './serve-dir.js';
import { loadNodeModel, mnistTestImages, nodePredict, trainFixture } from './node-model.js';

describe('loadWebModel: a trainer checkpoint served over HTTP', function () {
  let tmp: string;
  let checkpoint: string;
  let server: Awaited<ReturnType<typeof serveDir>>;
  let nodeModel: SpikingModel;
  let data: Awaited<ReturnType<typeof mnistTestImages>>;
  let expected: ReturnType<typeof nodePredict>;

  before(async function () {
    this.timeout(300_000);
    await initBackend(undefined, { log: () => {} });
    tmp = mkdtempSync(join(tmpdir(), 'deepspike-web-'));
    // A few real training steps, so tdBN's running statistics and the weights are not their initial values.
    checkpoint = await trainFixture(join(tmp, 'run'), 5);
    nodeModel = await loadNodeModel(checkpoint);
    data = await mnistTestImages(8);
    expected = nodePredict(nodeModel, data.images, data.normalization);
    server = await serveDir(checkpoint);
  });

  after(async () => {
    nodeModel?.dispose();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives the Node model's logits, predictions and spikes on the ${backend} backend`, async () => {
      const active = tf.getBackend();
      await initBackend(backend, { log: () => {} });
      const net = await loadWebModel(server.url, { normalization: data.normalization });
      try {
        expect(net.step).to.equal(5);
        expect(net.timesteps).to.equal(4);
        const got = await net.predict(data.images);
        expect(got).to.have.length(8);
        got.forEach((p, i) => {
          const want = expected.logits[i] as number[];
          Array.from(p.logits).forEach((v, c) => expect(v, `image ${i} class ${c}`).to.be.closeTo(want[c] as number, 1e-4));
          expect(p.predicted).to.equal(want.indexOf(Math.max(...want)));
          const sum = Array.from(p.probabilities).reduce((a, b) => a + b, 0);
          expect(sum).to.be.closeTo(1, 1e-5);
          expect(p.raster).to.have.length(4);
          expect(p.raster[0]).to.have.length(256);
          expect(p.raster).to.deep.equal(expected.raster[i]);
        });
      } finally {
        net.dispose();
        await initBackend(active as 'cpu', { log: () => {} });
      }
    });
  }

  it('fetches only the spec and the weights, never the optimiser slots', async () => {
    const before = server.requests.length;
    const net = await loadWebModel(server.url);
    net.dispose();
    const fetched = server.requests.slice(before);
    expect(fetched[0]).to.equal('/state.json');
    expect(fetched).to.include('/weights/model.json');
    expect(fetched.filter((p) => p.startsWith('/optimizer'))).to.deep.equal([]);
  });

  it('predicts the same from a tensor and from flat pixels, and rejects a wrong shape', async () => {
    const net = await loadWebModel(server.url, { normalization: data.normalization });
    try {
      const one = data.images.subarray(0, 784);
      const x = tf.tensor(one, [1, 28, 28, 1]);
      const [a] = await net.predict(x);
      const [b] = await net.predict(Float32Array.from(one));
      x.dispose();
      expect(Array.from(a!.logits)).to.deep.equal(Array.from(b!.logits));
      const bad = tf.zeros([1, 28, 28]);
      try {
        await net.predict(bad).then(() => expect.fail('predict accepted [1, 28, 28]'), (e: Error) =>
          expect(e.message).to.equal('WebModel.predict: input of the wrong shape, got [1, 28, 28]; expected [N, 28, 28, 1]. Pass images as the model\'s input.shape (channels last).'));
      } finally {
        bad.dispose();
      }
      await net.predict(one, { rasterLayer: 'nope' }).then(() => expect.fail('accepted rasterLayer nope'), (e: Error) =>
        expect(e.message).to.match(/^WebModel\.predict: no spiking layer "nope", got layers lif1, lif2, lif3; expected one of them as rasterLayer\.$/));
    } finally {
      net.dispose();
    }
  });

  it('names the URL and the fix when the checkpoint is missing or is not one', async () => {
    await fetchCheckpoint(`${server.url}missing/`).then(() => expect.fail('fetched a missing checkpoint'), (e: Error) =>
      expect(e.message).to.equal(`loadWebModel: could not fetch ${server.url}missing/state.json, got HTTP 404 Not Found; expected a checkpoint served over HTTP (state.json and weights/model.json). ` +
        'Serve the step-* folder of a run and pass its URL.'));
    const odd = mkdtempSync(join(tmp, 'odd-'));
    writeFileSync(join(odd, 'state.json'), JSON.stringify({ step: 1 }));
    const s2 = await serveDir(odd);
    try {
      await fetchCheckpoint(s2.url).then(() => expect.fail('accepted a state.json without spec'), (e: Error) =>
        expect(e.message).to.equal(`loadWebModel: ${s2.url}state.json holds no model spec, got keys step; expected {"spec": {...}} as the trainer writes it. Pass a checkpoint written by \`deepspike train\`.`));
    } finally {
      await s2.close();
    }
  });
});
