import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { FileSystemHandler, initBackend, wasmBinaryDir } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import { openMnist } from '@deepspike/datasets';
import { validateModelFile } from '@deepspike/dsl';
import { findCheckpoint } from '@deepspike/train';
import { trainFromCode } from '../src/train-from-code.js';
import { checkCosineBump } from '../src/custom-surrogate.js';
import { mapToChip } from '../src/map-to-chip.js';
import { browserInference } from '../src/browser-inference.js';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelFile = resolve(here, '..', 'mnist-tdbn', 'mnist-tdbn.snn.json');

describe('docs walkthroughs (the site includes these files verbatim)', function () {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'deepspike-walkthroughs-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('are each included verbatim by one page of the docs site (docs/walkthroughs/*.md)', () => {
    const pages = join(here, '..', '..', 'docs', 'walkthroughs');
    const included = readdirSync(pages).filter((f) => f.endsWith('.md')).flatMap((page) =>
      [...readFileSync(join(pages, page), 'utf8').matchAll(/\{@includeCode ([^}\s]+)\}/g)].map((m) => resolve(pages, m[1] as string)));
    const sources = readdirSync(join(here, 'src')).filter((f) => f.endsWith('.ts')).map((f) => join(here, 'src', f));
    expect([...included].sort()).to.deep.equal(sources.sort());
  });

  it('type-check under the repository settings (strict)', () => {
    const tsc = join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.walkthroughs.json')], { stdio: 'pipe' })).to.not.throw();
  });

  it('1. train from code: runs, checkpoints and evaluates', async () => {
    const r = await trainFromCode({ modelFile, out: join(tmp, 'run'), maxSteps: 20 });
    r.model.dispose();
    expect(r.steps).to.equal(20);
    expect(existsSync(join(r.checkpoint, 'state.json'))).to.equal(true);
    expect(r.test!.samples).to.equal(4 * 64);
    // 20 steps of Adam already beat chance (10 %) by far on MNIST.
    expect(r.test!.accuracy).to.be.greaterThan(0.5);
    const metrics = readFileSync(r.metricsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss?: number });
    expect(metrics.some((m) => typeof m.loss === 'number' && Number.isFinite(m.loss))).to.equal(true);
  });

  it("2. custom surrogate: g' matches finite differences of g, and backprop through spike() uses g'", () => {
    const c = checkCosineBump();
    expect(c.finiteDifferenceError).to.be.lessThan(1e-6);
    // alpha 0.5: zero outside |x| < 0.5; pi/2 at x = 0.
    expect(c.derivative[0]).to.equal(0);
    expect(c.derivative[2]).to.be.closeTo((Math.PI / 2) * Math.cos(Math.PI * -0.1), 1e-12);
    c.backprop.forEach((g, i) => expect(g, `x = ${c.x[i]}`).to.be.closeTo(c.derivative[i] as number, 1e-6));
  });

  it('3. map to a chip: fits loihi2 and the integer simulation agrees with the float model', async () => {
    const report = await mapToChip({ modelFile, run: join(tmp, 'run'), verify: 8 });
    expect(report.fits).to.equal(true);
    expect(report.verify.samples).to.equal(8);
    expect(report.cores.used).to.be.greaterThan(0);
    expect(report.agreement).to.be.at.least(0.75);
  });

  it("4. inference in the browser: the Node model's logits, served over HTTP", async () => {
    const checkpoint = (await findCheckpoint(join(tmp, 'run')))!;
    const server = createServer((req, res) => {
      const file = join(checkpoint, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (!file.startsWith(checkpoint) || !existsSync(file)) return void res.writeHead(404).end();
      createReadStream(file).pipe(res.writeHead(200));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const previous = tf.getBackend();
    try {
      const ds = await openMnist();
      const { x: pixels } = await ds.get('test', 0);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const r = await browserInference({ checkpointUrl: url, wasmPaths: wasmBinaryDir(), pixels: Float32Array.from(pixels) });
      expect(r.backend).to.equal('wasm'); // no WebGL under Node
      expect(r.layers).to.deep.equal(['lif1', 'lif2', 'lif3']);
      expect(r.prediction.raster.map((row) => row.length)).to.deep.equal([256, 256, 256, 256]);
      // The same checkpoint loaded from disk, normalised by hand, on the Node backend.
      await initBackend(previous as 'cpu', { log: () => {} });
      const spec = await validateModelFile(modelFile);
      const model = buildModel(spec, { seed: spec.training?.seed });
      await model.loadWeights(new FileSystemHandler(join(checkpoint, 'weights')));
      model.setTraining(false);
      const x = tf.tensor(Float32Array.from(pixels, (v) => (v - 0.1307) / 0.3081), [1, 28, 28, 1]);
      const logits = tf.tidy(() => model.forward(x)).arraySync() as number[][];
      x.dispose();
      model.dispose();
      Array.from(r.prediction.logits).forEach((v, c) => expect(v).to.be.closeTo(logits[0]![c] as number, 1e-4));
    } finally {
      server.close();
      await initBackend(previous as 'cpu', { log: () => {} });
    }
  });
});
