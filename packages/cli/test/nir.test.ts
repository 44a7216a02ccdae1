import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemHandler, readWeights } from '@deepspike/core';
import { testdataDir } from '@deepspike/core/testing';
import { importNIR, type ConvNode, type LinearNode } from '@deepspike/neuromorphic';
import { findCheckpoint } from '@deepspike/train';
import { capture } from './capture.js';

/** The NIR fixtures of the repository. */
const NIR = join(testdataDir(), 'nir');

describe('deepspike import-nir', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'deepspike-nir-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports cnn_sinabs.nir into a model file and a checkpoint holding the same weights', async () => {
    const out = join(dir, 'sinabs');
    const r = await capture(['import-nir', `${NIR}/cnn_sinabs.nir`, '--out', out, '--name', 'sinabs', '--timesteps', '5', '--dataset', 'nmnist']);
    expect(r.code, r.err).to.equal(0);
    const spec = JSON.parse(readFileSync(join(out, 'sinabs.snn.json'), 'utf8'));
    expect(spec.input).to.deep.equal({ shape: [34, 34, 2], encoding: 'events' });
    expect(spec.layers.map((l: { type: string }) => l.type)).to.deep.equal(['conv2d', 'neuron', 'conv2d', 'neuron', 'pool', 'conv2d', 'neuron', 'pool', 'flatten', 'linear', 'neuron', 'linear', 'neuron']);
    expect(spec.layers[1]).to.deep.equal({ type: 'neuron', name: 'n1', kind: 'if', vth: 1 });
    expect(spec.readout).to.equal('rate');
    const ckpt = await findCheckpoint(join(out, 'checkpoint'));
    expect(ckpt).to.be.a('string');
    const { tensors } = await readWeights(new FileSystemHandler(join(ckpt as string, 'weights')));
    const { graph } = await importNIR(`${NIR}/cnn_sinabs.nir`);
    const conv0 = graph.nodes.find((n) => n.name === '0') as ConvNode;
    const k0 = Object.entries(tensors).find(([k]) => k.endsWith('.kernel') && tensors[k]?.shape.length === 4 && tensors[k]?.shape[3] === 16 && tensors[k]?.shape[2] === 2);
    expect(k0, 'first conv kernel').to.not.equal(undefined);
    expect(Array.from(k0![1].dataSync())).to.deep.equal(Array.from(conv0.weight));
    // the first linear's rows move from NIR's channel-first flatten to the DSL's channels-last one:
    // DSL row (p*C + c) = NIR column (c*HW + p), with [4, 4, 8] before the flatten
    const fc = graph.nodes.find((n) => n.name === '9') as LinearNode;
    const k9 = Object.entries(tensors).find(([, t]) => t.shape.length === 2 && t.shape[0] === 128)![1].dataSync();
    const p = 5;
    const c = 3;
    for (let o = 0; o < 4; o++) expect(k9[(p * 8 + c) * 256 + o]).to.equal(fc.weight[(c * 16 + p) * 256 + o]);
    for (const t of Object.values(tensors)) t.dispose();
  });

  it('imports the residual graph (fan-in) and refuses a dangling edge with the reason', async () => {
    const a = await capture(['import-nir', `${NIR}/derived/stbp_conv_residual.nir`, '--out', join(dir, 'res')]);
    expect(a.code, a.err).to.equal(0);
    const spec = JSON.parse(readFileSync(join(dir, 'res', 'stbp-conv-residual.snn.json'), 'utf8'));
    expect(spec.layers.find((l: { name: string }) => l.name === 'lif2').inputs).to.deep.equal(['conv2', 'lif1']);
    const b = await capture(['import-nir', `${NIR}/invalid/braille_noDelay_bias_zero_subgraph.nir`, '--out', join(dir, 'bad')]);
    expect(b.code).to.equal(1);
    expect(b.err).to.contain('names endpoint "lif", got no such node');
    expect(existsSync(join(dir, 'bad', 'checkpoint'))).to.equal(false);
  });
});
