import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { exportNIR, type GraphEdge, type GraphNode, type HardwareGraph } from '@deepspike/neuromorphic';
import { seededRandom } from '@deepspike/core';
import { capture } from './capture.js';

/** input 8x8x1 -> conv 3x3 (4) -> neurons -> sum pool 2 -> flatten -> linear 64 -> 5 [-> neurons]. */
function net(model: 'lif' | 'if', spikingOut: boolean): HardwareGraph {
  const r = seededRandom(4);
  const pop = (name: string, shape: number[]): GraphNode => ({ kind: 'population', name, model, shape, decay: model === 'if' ? 1 : 0.5, threshold: 0.4, gain: 1, drive: 0, reset: 'zero', resetValue: 0, strict: false });
  const nodes: GraphNode[] = [
    { kind: 'input', name: 'input', shape: [8, 8, 1] },
    { kind: 'conv', name: 'conv', weight: Float32Array.from({ length: 9 * 4 }, () => r() - 0.3), kernel: [3, 3], inChannels: 1, outChannels: 4, bias: new Float32Array(4), stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 },
    pop('n1', [8, 8, 4]),
    { kind: 'pool', name: 'pool', mode: 'sum', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'flatten', name: 'flat', order: 'chw' },
    { kind: 'linear', name: 'fc', weight: Float32Array.from({ length: 64 * 5 }, () => r() - 0.4), inFeatures: 64, outFeatures: 5, bias: null },
    ...(spikingOut ? [pop('n2', [5])] : []),
    { kind: 'output', name: 'output', shape: [5] },
  ];
  const edges = nodes.slice(1).map((n, i) => ({ from: (nodes[i] as GraphNode).name, to: n.name })) as GraphEdge[];
  return { name: `emit-${model}`, nodes, edges, metadata: { T: 4 } };
}

describe('deepspike map --emit speck|netx', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'deepspike-emit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A model + checkpoint from a graph, through export-nir/import-nir (no training needed). */
  async function imported(g: HardwareGraph, name: string): Promise<{ model: string; checkpoint: string }> {
    const nir = join(dir, `${name}.nir`);
    await exportNIR(g, nir, { dt: 1e-3, timesteps: 4 });
    const back = join(dir, name);
    const r = await capture(['import-nir', nir, '--out', back, '--name', name, '--encoding', 'direct']);
    expect(r.code, r.err).to.equal(0);
    return { model: join(back, `${name}.snn.json`), checkpoint: join(back, 'checkpoint') };
  }

  it('--emit speck writes <model>.speck.json beside mapping.json: two cores, chained with the pooling, the fields sinabs writes', async () => {
    const { model, checkpoint } = await imported(net('if', true), 'tiny-if');
    const out = join(dir, 'speck');
    const r = await capture(['map', model, '--checkpoint', checkpoint, '--target', 'speck', '--emit', 'speck', '--out', out, '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain(`and ${join(out, 'tiny-if.speck.json')}`);
    const cfg = JSON.parse(readFileSync(join(out, 'tiny-if.speck.json'), 'utf8'));
    expect([cfg.format, cfg.chip, cfg.model, cfg.cnn_layers.length]).to.deep.equal(['deepspike-speck-config', 'speck', 'tiny-if', 9]);
    const used = cfg.cnn_layers.filter((c: unknown) => c !== null);
    expect(used).to.have.length(2);
    const first = cfg.cnn_layers[cfg.inputCore];
    const last = cfg.cnn_layers[cfg.outputCore];
    expect(first.dimensions).to.deep.equal({ input_shape: { size: { x: 8, y: 8 }, feature_count: 1 }, output_shape: { size: { x: 8, y: 8 }, feature_count: 4 }, padding: { x: 1, y: 1 }, stride: { x: 1, y: 1 }, kernel_size: 3 });
    expect(last.dimensions).to.deep.equal({ input_shape: { size: { x: 4, y: 4 }, feature_count: 4 }, output_shape: { size: { x: 1, y: 1 }, feature_count: 5 }, padding: { x: 0, y: 0 }, stride: { x: 1, y: 1 }, kernel_size: 4 });
    expect(first.destinations[0]).to.deep.equal({ layer: cfg.outputCore, enable: true, pooling: 2, feature_shift: 0 });
    expect(last.destinations[0].enable).to.equal(false);
    for (const c of used) {
      for (const k of ['weights', 'biases', 'leak_enable', 'return_to_zero', 'threshold_high', 'threshold_low', 'neurons_initial_value', 'destinations', 'monitor_enable']) expect(c, k).to.have.property(k);
      expect(c.threshold_high).to.be.a('number').and.greaterThan(0);
      expect(c.weights.flat(3).every((w: number) => Number.isInteger(w) && Math.abs(w) <= 128)).to.equal(true);
    }
    expect(first.weights).to.have.length(4);
    expect(first.weights[0][0]).to.have.length(3);
  });

  it('--emit netx writes <model>.net, an HDF5 file h5wasm reads with the layer layout netx expects', async () => {
    const { model, checkpoint } = await imported(net('lif', false), 'tiny-lif');
    const out = join(dir, 'netx');
    const r = await capture(['map', model, '--checkpoint', checkpoint, '--target', 'loihi', '--fold', 'weights', '--emit', 'netx', '--out', out, '--backend', 'cpu']);
    expect(r.code, r.err).to.equal(0);
    const file = join(out, 'tiny-lif.net');
    expect(existsSync(file)).to.equal(true);
    await h5wasm.ready;
    const f = new h5wasm.File(file, 'r');
    try {
      const layer = f.get('layer') as InstanceType<typeof h5wasm.Group>;
      expect(layer.keys().sort()).to.deep.equal(['0', '1', '2', '3']);
      const val = (p: string): unknown => (f.get(p) as InstanceType<typeof h5wasm.Dataset>).value;
      expect(['0', '1', '2', '3'].map((i) => val(`layer/${i}/type`))).to.deep.equal(['input', 'conv', 'flatten', 'dense']);
      expect(Array.from(val('layer/1/shape') as Int32Array)).to.deep.equal([4, 8, 8]);
      expect(Array.from(val('layer/1/kernelSize') as Int32Array)).to.deep.equal([3, 3]);
      expect((f.get('layer/1/weight') as InstanceType<typeof h5wasm.Dataset>).shape).to.deep.equal([4, 1, 3, 3]);
      expect(val('layer/1/neuron/type')).to.equal('CUBA');
      expect(val('layer/1/neuron/vDecay')).to.equal(2048); // 4096 * (1 - 0.5)
      // the sum pool is folded into the dense synapse, which reads the unpooled 4 x 8 x 8 map
      expect(val('layer/3/inFeatures')).to.equal(256);
      expect((f.get('layer/3/weight') as InstanceType<typeof h5wasm.Dataset>).shape).to.deep.equal([5, 256]);
    } finally {
      f.close();
    }
  });

  it('refuses an emit format, or a target, that does not fit (exit 2)', async () => {
    const { model, checkpoint } = await imported(net('if', true), 'tiny-if2');
    const a = await capture(['map', model, '--checkpoint', checkpoint, '--target', 'speck', '--emit', 'onnx', '--backend', 'cpu']);
    expect([a.code, a.err.includes('deepspike map: --emit got "onnx"; expected one of speck, netx.')]).to.deep.equal([2, true]);
    const b = await capture(['map', model, '--checkpoint', checkpoint, '--target', 'loihi', '--emit', 'speck', '--backend', 'cpu']);
    expect([b.code, b.err.includes('--emit speck writes a Speck/DYNAP-CNN configuration, got --target loihi; expected --target speck.')]).to.deep.equal([2, true]);
    const c = await capture(['map', model, '--checkpoint', checkpoint, '--target', 'speck', '--emit', 'netx', '--backend', 'cpu']);
    expect([c.code, c.err.includes('--emit netx writes a Lava-DL netx network for Loihi, got --target speck; expected --target loihi or loihi2.')]).to.deep.equal([2, true]);
  });
});
