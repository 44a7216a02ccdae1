import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, InvalidArgumentError } from '@deepspike/core';
import { buildModel } from '@deepspike/codegen';
import {
  applyInit,
  depthSpec,
  gradRatio,
  installPaperPlugins,
  paperMessages,
  runDepthAblation,
  weightKernels,
  writeDepthReport,
  type DepthResult,
} from '@deepspike/bench';

describe('depth ablation', function () {
  this.timeout(600_000);
  let results: DepthResult[] = [];
  const out = mkdtempSync(join(tmpdir(), 'deepspike-depth-'));

  before(async () => {
    await initBackend('cpu', { log: () => {} });
    await installPaperPlugins();
    // Tiny setting: depth 4 plain and residual, tdbn/bn/none, 1 step, 16 test samples.
    const run = await runDepthAblation({ depths: [4], norms: ['tdbn', 'bn', 'none'], residual: [false, true], steps: 1, evalSamples: 16, batchSize: 8, channels: 8 });
    results = run.results;
    await writeDepthReport(out, run);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('builds plain and residual networks with `depth` weight layers (classifier included)', () => {
    for (const [depth, residual, convs, neurons] of [[8, false, 7, 7], [20, false, 19, 19], [8, true, 7, 7], [14, true, 13, 13]] as const) {
      const model = buildModel(depthSpec({ depth, norm: 'tdbn', residual }));
      const kernels = [...weightKernels(model).keys()];
      expect(kernels, `${depth} ${residual}`).to.have.length(depth);
      expect(kernels.filter((k) => k.startsWith('fc')), 'one classifier, last').to.deep.equal([kernels[depth - 1]]);
      expect(model.neuronLayers().size).to.equal(neurons);
      expect(kernels.length - 1).to.equal(convs);
      model.dispose();
    }
    expect(() => depthSpec({ depth: 7, norm: 'tdbn', residual: true })).to.throw(InvalidArgumentError, paperMessages.badDepth(7, true));
    expect(() => depthSpec({ depth: 1, norm: 'tdbn', residual: false })).to.throw(InvalidArgumentError, paperMessages.badDepth(1, false));
  });

  it('reports every configuration with per-layer arrays from input to output', () => {
    expect(results.map((r) => `${r.residual ? 'res' : 'plain'}-${r.norm}`)).to.deep.equal(['plain-tdbn', 'plain-bn', 'plain-none', 'res-tdbn', 'res-bn', 'res-none']);
    for (const r of results) {
      expect(r.depth).to.equal(4);
      expect(r.init).to.equal('default');
      expect(r.gradNormsInit).to.have.length(4);
      expect(r.gradNormsFinal).to.have.length(4);
      expect(r.weightLayers).to.have.length(4);
      expect(r.firingRatesInit).to.have.length(r.spikingLayers.length);
      expect(r.firingRatesFinal).to.have.length(r.spikingLayers.length);
      expect(r.evalSamples).to.equal(16);
      expect(r.accuracy).to.be.within(0, 1);
      for (const v of [...r.firingRatesInit, ...r.firingRatesFinal]) expect(v).to.be.within(0, 1);
      for (const v of r.gradNormsInit) expect(v).to.be.at.least(0);
    }
  });

  it('gradient ratio = last / first of the reported gradient norms', () => {
    for (const r of results) {
      const g = r.gradNormsInit;
      if (g[0]! > 0) expect(r.gradRatioInit).to.be.closeTo(g[g.length - 1]! / g[0]!, 1e-12);
      else expect(r.gradRatioInit).to.equal(null);
      expect(r.gradRatioConvInit).to.be.closeTo(g[g.length - 2]! / g[0]!, 1e-12);
    }
    expect(gradRatio([2, 3, 5])).to.equal(2.5);
    expect(gradRatio([0, 1])).to.equal(null);
    expect(gradRatio([])).to.equal(null);
  });

  it("tdBN's firing rates at init lie in a sane band, below plain BN's (N(0, (αVth)²) vs N(0, 1) pre-activations)", () => {
    const tdbn = results.find((r) => r.norm === 'tdbn' && !r.residual)!;
    const bn = results.find((r) => r.norm === 'bn' && !r.residual)!;
    for (const v of tdbn.firingRatesInit) expect(v).to.be.within(0.03, 0.25);
    tdbn.firingRatesInit.forEach((v, i) => expect(v, `layer ${i + 1}`).to.be.below(bn.firingRatesInit[i]!));
  });

  it("kaiming init draws N(0, 2/fan_in) kernels; default keeps PyTorch's U(±1/sqrt(fan_in))", () => {
    const model = buildModel(depthSpec({ depth: 4, norm: 'none', residual: false, channels: 32 }));
    const std = (v: tf.Tensor): number => tf.tidy(() => Math.sqrt(tf.moments(v).variance.dataSync()[0]!));
    const k2 = weightKernels(model).get('conv2.kernel')!;
    expect(std(k2)).to.be.closeTo(1 / Math.sqrt(3 * 9 * 32), 0.1 / Math.sqrt(9 * 32));
    applyInit(model, 'kaiming', 0);
    expect(std(k2)).to.be.closeTo(Math.sqrt(2 / (9 * 32)), 0.1 * Math.sqrt(2 / (9 * 32)));
    model.dispose();
  });

  it('writes depth.json (the results array) and a self-contained depth.html with SVG plots', () => {
    const json = JSON.parse(readFileSync(join(out, 'depth.json'), 'utf8')) as DepthResult[];
    expect(json).to.have.length(6);
    expect(json[0]!.gradNormsInit).to.deep.equal(results[0]!.gradNormsInit);
    const html = readFileSync(join(out, 'depth.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).to.be.at.least(5);
    expect(html).to.contain('Firing rate vs layer depth (init)');
    expect(html).not.to.match(/<script/);
    expect(existsSync(join(out, 'depth.info.json'))).to.equal(true);
  });

  it('refuses an unknown norm naming the registered ones', async () => {
    try {
      await runDepthAblation({ depths: [4], norms: ['layernorm'], steps: 0 });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.match(/^deepspike bench depth: unknown norm "layernorm", got "layernorm"; expected one of .*tdbn.*none/);
    }
  });
});
