import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture } from './capture.js';

/** A small MNIST conv SNN (conv 4 + tdBN + LIF, avg pool 4, linear) trained for a few steps in `before` (2 busy cores). */
const spec = (filters = 4) => ({
  name: 'map-mnist',
  input: { shape: [28, 28, 1], encoding: 'direct' },
  timesteps: 2,
  defaults: { neuron: { kind: 'lif', vth: 0.5, tau: 0.25 }, norm: { kind: 'tdbn' } },
  layers: [
    { type: 'conv2d', filters, kernel: 3, stride: 1, padding: 1 },
    { type: 'norm' },
    { type: 'neuron' },
    { type: 'pool', mode: 'avg', size: 4 },
    { type: 'flatten' },
    { type: 'linear', units: 10 },
  ],
  readout: 'membrane',
  training: { dataset: { name: 'mnist' }, batchSize: 32, epochs: 1, optimizer: { name: 'adam', lr: 0.01 }, loss: 'rate-ce', seed: 0 },
  hardware: { target: 'loihi', weightBits: 8, fold: 'auto' },
});

describe('deepspike map / export-nir / import-nir', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'deepspike-map-'));
  const model = join(dir, 'map-mnist.snn.json');
  const run = join(dir, 'run');
  before(async () => {
    writeFileSync(model, JSON.stringify(spec(), null, 1));
    const r = await capture(['train', model, '--backend', 'cpu', '--max-steps', '40', '--out', run, '--no-progress']);
    expect(r.code, r.err).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('maps onto loihi: mapping.json/html, integer vs float agreement >= 99 % at 8 bits on 100 test samples', async () => {
    const out = join(dir, 'loihi');
    const r = await capture(['map', model, '--checkpoint', run, '--target', 'loihi', '--verify', '100', '--out', out, '--json', '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    const j = JSON.parse(r.out);
    expect(JSON.parse(readFileSync(join(out, 'mapping.json'), 'utf8'))).to.deep.equal(j);
    expect(j.verify.samples).to.equal(100);
    expect(j.agreement).to.be.at.least(0.99);
    expect(j.verify.floatVsModel).to.be.at.least(0.99);
    expect(j.verify.spikeMismatchRate).to.be.below(1e-3);
    expect(j.verify.accuracy.model).to.be.above(0.5);
    expect(j.fits).to.equal(true);
    expect(j.cores.used).to.equal(j.cores.perCore.length);
    expect(j.sops).to.be.above(0);
    // first layer on analog input: (28*3 - 2)^2 valid taps x 4 filters x T = 2 MACs per sample
    expect(j.energy.totals.macs).to.equal(82 * 82 * 4 * 2);
    const html = readFileSync(join(out, 'mapping.html'), 'utf8');
    expect(html).to.contain('<svg').and.contain('Energy per sample').and.contain('equivalent ANN');
  });

  it('exits with 2 and the violations when the chip cannot hold the model', async () => {
    const r = await capture(['map', model, '--checkpoint', run, '--target', 'speck', '--verify', '8', '--out', join(dir, 'speck'), '--backend', 'cpu']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/map: \S+: LIF neurons \(decay 0\.25\) but speck runs IF neurons only: retrain with IF neurons/);
    expect(r.err).to.contain('deepspike map: speck cannot hold map-mnist');
    expect(existsSync(join(dir, 'speck', 'mapping.json'))).to.equal(true);
  });

  it('refuses bit widths out of range, an unknown fold and an unknown target (exit 2)', async () => {
    const a = await capture(['map', model, '--checkpoint', run, '--bits', '40', '--backend', 'cpu']);
    expect(a.code).to.equal(2);
    expect(a.err).to.contain('deepspike map: --bits got "40"; expected an integer in [2, 16]');
    const b = await capture(['map', model, '--checkpoint', run, '--fold', 'sideways', '--backend', 'cpu']);
    expect(b.err).to.contain('deepspike map: --fold got "sideways"; expected one of weights, thresholds, auto.');
    const c = await capture(['map', model, '--checkpoint', run, '--target', 'spinnaker', '--backend', 'cpu']);
    expect(c.code).to.equal(2);
    expect(c.err).to.contain('--target got "spinnaker"; expected one of crossbar, loihi, loihi2, speck, spinnaker2, tianjic, truenorth, xylo.');
    const d = await capture(['map', model, '--checkpoint', run, '--target', 'loihi2', '--board', 'kapoho-bay', '--backend', 'cpu']);
    expect(d.code).to.equal(2);
    expect(d.err).to.contain('deepspike map: board kapoho-bay: chip got "loihi2"; expected loihi (the chip kapoho-bay carries); pass --target loihi.');
  });

  it('maps onto a board of chips (--chips 2 / --board kapoho-bay): cores on both chips, inter-chip traffic and latency in mapping.json and the plot', async () => {
    // 10-core crossbars of 256 neurons: the 28 x 28 x 4 conv alone needs 13 cores
    const small = join(dir, 'small.snn.json');
    writeFileSync(small, JSON.stringify({ ...spec(), name: 'small', hardware: { target: 'crossbar', weightBits: 8, fold: 'auto', options: { cores: 10, axons: 4096, neurons: 256 } } }));
    const one = await capture(['map', small, '--checkpoint', run, '--verify', '8', '--out', join(dir, 'one'), '--backend', 'cpu']);
    expect(one.code).to.equal(2);
    expect(one.err).to.match(/map: \(model\): the model needs (\d+) cores > 10 cores on crossbar: map onto 2 chips \(--chips 2/);
    const r = await capture(['map', small, '--checkpoint', run, '--verify', '8', '--chips', '2', '--out', join(dir, 'two'), '--json', '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    const j = JSON.parse(r.out);
    expect([j.board.chips, j.board.chipsUsed, j.cores.available]).to.deep.equal([2, 2, 20]);
    expect(new Set(j.cores.perCore.map((c: { chip: number }) => c.chip))).to.deep.equal(new Set([0, 1]));
    expect(j.traffic.interChipSpikesPerStep).to.be.above(0);
    expect(j.traffic.interChipBytesPerStep).to.equal(4 * j.traffic.interChipSpikesPerStep);
    expect(j.latency.chipCrossings).to.equal(1);
    const html = readFileSync(join(dir, 'two', 'mapping.html'), 'utf8');
    expect(html).to.contain('inter-chip traffic').and.contain('chip 0 → chip 1');
    const kb = await capture(['map', model, '--checkpoint', run, '--verify', '8', '--board', 'kapoho-bay', '--out', join(dir, 'kb'), '--json', '--backend', 'cpu']);
    expect(kb.code, kb.err).to.equal(0);
    const k = JSON.parse(kb.out);
    expect([k.board.name, k.board.chips, k.board.verified, k.cores.available]).to.deep.equal(['kapoho-bay', 2, false, 256]);
  });

  it('maps without a dataset; only --verify needs one, and says so', async () => {
    const nodata = join(dir, 'nodata.snn.json');
    const { training, ...rest } = spec();
    void training;
    writeFileSync(nodata, JSON.stringify({ ...rest, name: 'nodata' }));
    const r = await capture(['map', nodata, '--checkpoint', run, '--target', 'loihi', '--out', join(dir, 'nodata'), '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain('cores, not verified');
    expect(r.err).to.contain('map: no verification (no dataset)');
    const j = JSON.parse(readFileSync(join(dir, 'nodata', 'mapping.json'), 'utf8'));
    expect([j.agreement, j.verify.samples, j.fits]).to.deep.equal([null, 0, true]);
    const v = await capture(['map', nodata, '--checkpoint', run, '--target', 'loihi', '--verify', '10', '--backend', 'cpu']);
    expect(v.code).to.equal(2);
    expect(v.err).to.contain(`deepspike map: --verify 10 needs test samples, got no dataset (${nodata} has no training.dataset); expected a dataset name. Pass --dataset mnist`);
    const w = await capture(['map', nodata, '--checkpoint', run, '--target', 'loihi', '--verify', '10', '--dataset', 'mnist', '--out', join(dir, 'nodata2'), '--json', '--backend', 'cpu']);
    expect(w.code, w.err).to.equal(0);
    expect(JSON.parse(w.out).verify.samples).to.equal(10);
  });

  it('maps a model imported from a Sinabs NIR file onto Speck without data, with kernel and neuron memory per layer', async () => {
    const back = join(dir, 'sinabs');
    const i = await capture(['import-nir', '../../testdata/nir/cnn_sinabs.nir', '--out', back, '--name', 'sinabs']);
    expect(i.code, i.err).to.equal(0);
    const r = await capture(['map', join(back, 'sinabs.snn.json'), '--checkpoint', join(back, 'checkpoint'), '--target', 'speck', '--out', join(dir, 'speck-sinabs'), '--json', '--backend', 'cpu']);
    const j = JSON.parse(r.out);
    expect(j.agreement).to.equal(null);
    const first = j.layers[0];
    // conv 2 -> 16, 5 x 5, stride 2, pad 1 on 34 x 34 -> 16 x 16: kernel 2 * 2^(5 + 4), neurons 16 * 2^(4 + 4)
    expect(first.memory).to.deep.include({ kernel: 2 * 32 * 16, neuron: 16 * 16 * 16 });
    for (const l of j.layers) expect(l.memory.kernel).to.be.above(0);
    expect(r.code, r.err).to.be.oneOf([0, 2]);
  });

  it('refuses a checkpoint that does not match the model (exit 1)', async () => {
    const other = join(dir, 'other.snn.json');
    writeFileSync(other, JSON.stringify({ ...spec(6), name: 'other' }));
    const r = await capture(['map', other, '--checkpoint', run, '--target', 'loihi', '--backend', 'cpu']);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('does not match the model other');
  });

  it('export-nir -> import-nir -> map gives back the same predictions', async () => {
    const nir = join(dir, 'm.nir');
    const e = await capture(['export-nir', model, '--checkpoint', run, '--out', nir, '--dt', '0.001', '--backend', 'cpu']);
    expect(e.code, e.err).to.equal(0);
    const back = join(dir, 'imported');
    const i = await capture(['import-nir', nir, '--out', back, '--dataset', 'mnist', '--encoding', 'direct', '--name', 'reimported']);
    expect(i.code, i.err).to.equal(0);
    const s = JSON.parse(readFileSync(join(back, 'reimported.snn.json'), 'utf8'));
    expect(s.timesteps).to.equal(2);
    expect(s.layers.map((l: { type: string }) => l.type)).to.deep.equal(['conv2d', 'neuron', 'pool', 'flatten', 'linear']);
    const a = JSON.parse((await capture(['map', model, '--checkpoint', run, '--target', 'loihi', '--verify', '48', '--out', join(dir, 'a'), '--json', '--backend', 'cpu'])).out);
    const b = await capture(['map', join(back, 'reimported.snn.json'), '--checkpoint', join(back, 'checkpoint'), '--target', 'loihi', '--verify', '48', '--out', join(dir, 'b'), '--json', '--backend', 'cpu']);
    expect(b.code, b.err).to.equal(0);
    const jb = JSON.parse(b.out);
    expect(jb.verify.accuracy.model).to.be.closeTo(a.verify.accuracy.float, 0.02);
  });
});
