import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { initBackend, type SpikingModel } from '@deepspike/core';
import { ensureModel } from '../scripts/model.mjs';
import { bundlePage } from '../scripts/bundle.mjs';
import { serveStatic } from '../scripts/serve.mjs';
import { loadNodeModel, mnistTestImages, nodePredict } from './node-model.js';

/** Debian's chromium (`DEEPSPIKE_CHROMIUM` overrides), or null. */
function findChromium(): string | null {
  if (process.env.DEEPSPIKE_CHROMIUM) return process.env.DEEPSPIKE_CHROMIUM;
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)];
  for (const d of dirs) for (const name of ['chromium', 'chromium-browser']) if (existsSync(join(d, name))) return join(d, name);
  return null;
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface CanvasResult { input: number[]; logits: number[]; probabilities: number[]; predicted: number; raster: number[][] }

describe('web-digits page in headless Chromium', function () {
  const executable = findChromium();
  let profile: string;
  let context: BrowserContext;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let nodeModel: SpikingModel;
  let norm: { mean: number[]; std: number[] };

  before(async function () {
    if (!executable) {
      console.log('web-digits: skipped, no Chromium at /usr/bin/chromium or on PATH (apt-get install chromium; .ci/run does so as root); set DEEPSPIKE_CHROMIUM to use another');
      this.skip();
    }
    const checkpoint = ensureModel(200, () => {});
    const { dist } = await bundlePage(checkpoint);
    norm = JSON.parse(readFileSync(join(dist, 'model', 'dataset.json'), 'utf8')).normalization;
    await initBackend(undefined, { log: () => {} });
    nodeModel = await loadNodeModel(checkpoint);
    server = await serveStatic(dist);
    profile = mkdtempSync(join(tmpdir(), 'deepspike-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: executable!, headless: true, args: FLAGS });
  });

  after(async () => {
    await context?.close();
    await server?.close();
    nodeModel?.dispose();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function openPage(query: string): Promise<{ page: Page; backend: string; line: string; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}${query}`);
    await page.waitForFunction(() => window.deepspikeDemo !== undefined || window.deepspikeError !== undefined, null, { timeout: 120_000 });
    const failed = await page.evaluate(() => window.deepspikeError);
    expect(failed, 'page start-up error').to.equal(undefined);
    const { backend, line } = await page.evaluate(() => ({ backend: window.deepspikeDemo!.backend, line: window.deepspikeDemo!.line }));
    return { page, backend, line, errors };
  }

  /** Paints a 28×28 image into the 280×280 pad, each pixel a 10×10 block of its grey level. */
  async function inject(page: Page, pixels: Float32Array): Promise<void> {
    await page.evaluate((px) => {
      const pad = document.getElementById('pad') as HTMLCanvasElement;
      const ctx = pad.getContext('2d')!;
      const img = ctx.createImageData(280, 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) {
        const v = Math.round(255 * (px[Math.floor(y / 10) * 28 + Math.floor(x / 10)] as number));
        img.data.set([v, v, v, 255], 4 * (y * 280 + x));
      }
      ctx.putImageData(img, 0, 0);
    }, Array.from(pixels));
  }

  function expectSameAsNode(r: CanvasResult, what: string): void {
    const want = nodePredict(nodeModel, r.input, norm);
    expect(r.predicted, `${what}: prediction`).to.equal(want.predicted);
    r.logits.forEach((v, c) => expect(v, `${what}: logit ${c}`).to.be.closeTo(want.logits[c] as number, 1e-3));
    expect(r.probabilities.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-4);
    expect(r.raster.map((row) => row.length), `${what}: raster [T][neurons]`).to.deep.equal([256, 256, 256, 256]);
    expect(r.raster, `${what}: spikes`).to.deep.equal(want.raster);
  }

  for (const query of ['', '?backend=wasm']) {
    describe(query ? `forced ${query.slice(9)}` : 'backend chosen by the page', () => {
      it("classifies MNIST test images as the Node model does (logits, prediction, spike raster)", async () => {
        const { page, backend, line, errors } = await openPage(query);
        console.log(`web-digits: ${line}`);
        expect(line).to.match(/^deepspike: backend (webgl|wasm|cpu)/);
        if (query) expect(backend).to.equal('wasm');
        const { images, labels } = await mnistTestImages(0, 6);
        let correct = 0;
        for (let i = 0; i < images.length; i++) {
          await inject(page, images[i]!);
          const r = (await page.evaluate(() => window.deepspikeDemo!.classifyCanvas(0))) as CanvasResult;
          // The 10× image read back at 28×28 is the MNIST image itself.
          r.input.forEach((v, j) => expect(v, `image ${i} pixel ${j}`).to.be.closeTo(images[i]![j] as number, 1e-6));
          expectSameAsNode(r, `test image ${i}`);
          correct += r.predicted === labels[i] ? 1 : 0;
          expect(await page.textContent('#predicted')).to.equal(String(r.predicted));
        }
        // 200 training steps reach ~97 % test accuracy; these six are easy digits.
        expect(correct).to.be.at.least(5);
        expect(errors).to.deep.equal([]);
        await page.close();
      });

      it('classifies a digit drawn with the mouse, as the Node model does on the same input', async () => {
        const { page, errors } = await openPage(query);
        const box = (await page.locator('#pad').boundingBox())!;
        // A "7": a top bar, then a diagonal down to the bottom left.
        await page.mouse.move(box.x + 70, box.y + 60);
        await page.mouse.down();
        for (const [x, y] of [[140, 60], [210, 60], [180, 130], [150, 200], [130, 240]] as const) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
        await page.mouse.up();
        await page.waitForFunction(() => document.getElementById('predicted')!.textContent !== '–');
        const r = (await page.evaluate(() => window.deepspikeDemo!.classifyCanvas())) as CanvasResult;
        expect(r.input.filter((v) => v > 0.5).length, 'ink pixels of the drawing').to.be.greaterThan(30);
        expectSameAsNode(r, 'drawn digit');
        expect(await page.textContent('#predicted')).to.equal(String(r.predicted));
        expect(await page.textContent('#raster-summary')).to.match(/^4 steps × 256 neurons, \d+ spikes/);
        expect(errors).to.deep.equal([]);
        await page.close();
      });
    });
  }
});
