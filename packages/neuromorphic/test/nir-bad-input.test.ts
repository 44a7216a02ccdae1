import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { GraphError, importNIR, NIR_MAX_ELEMENTS, NirError } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'ds-nir-bad-'));

type Param = { data: Float32Array | BigInt64Array; shape: number[] };
type NodeDef = { type: string; params?: Record<string, Param> };
const i64 = (...v: number[]): Param => ({ data: BigInt64Array.from(v.map(BigInt)), shape: [v.length] });
const f32 = (shape: number[], fill = 0.5): Param => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill), shape });
const lif = (n: number): NodeDef => ({ type: 'LIF', params: { tau: f32([n], 0.01), r: f32([n], 1), v_leak: f32([n], 0), v_threshold: f32([n], 1) } });

/** Writes a flat NIR graph (h5wasm, the layout of nir.write()). */
async function write(name: string, nodes: Record<string, NodeDef>, edges: [string, string][], big?: { node: string; key: string; shape: number[] }): Promise<string> {
  await h5wasm.ready;
  const path = join(tmp, `${name}.nir`);
  const f = new h5wasm.File(path, 'w');
  f.create_dataset({ name: 'version', data: '0.2.0' });
  const top = f.create_group('node');
  top.create_dataset({ name: 'type', data: 'NIRGraph' });
  const group = top.create_group('nodes');
  for (const [n, def] of Object.entries(nodes)) {
    const g = group.create_group(n);
    g.create_dataset({ name: 'type', data: def.type });
    for (const [k, v] of Object.entries(def.params ?? {})) g.create_dataset({ name: k, data: v.data, shape: v.shape });
    // A dataset that declares a huge shape while storing (almost) nothing: chunked, never written.
    if (big && big.node === n) g.create_dataset({ name: big.key, data: new Float32Array(1), shape: big.shape.map(() => 1), maxshape: big.shape, chunks: big.shape.map(() => 1) } as never);
  }
  top.create_dataset({ name: 'edges', data: edges.flat(), shape: [edges.length, 2] });
  f.close();
  if (big) {
    const g = new h5wasm.File(path, 'a');
    (g.get(`node/nodes/${big.node}/${big.key}`) as unknown as { resize(shape: number[]): void }).resize(big.shape);
    g.close();
  }
  return path;
}

async function refusal(path: string): Promise<Error> {
  const err = await importNIR(path).then(() => null, (e: Error) => e);
  expect(err, `${path} must be refused`).to.not.equal(null);
  return err as Error;
}

describe('NIR import refuses bad input, naming the node and the field', () => {
  it('a dangling edge: names the missing endpoint, its graph and the nodes there are', async () => {
    const p = await write('dangling', { input: { type: 'Input', params: { shape: i64(2) } }, fc: { type: 'Linear', params: { weight: f32([2, 2]) } }, output: { type: 'Output', params: { shape: i64(2) } } }, [['input', 'fc'], ['fc', 'lif'], ['fc', 'output']]);
    const e = await refusal(p);
    expect(e).to.be.instanceOf(NirError);
    console.log(e.message);
  });

  it('an unknown node type: names the node and its type', async () => {
    const p = await write('unknown', { input: { type: 'Input', params: { shape: i64(2) } }, th: { type: 'Threshold', params: { threshold: f32([2]) } }, output: { type: 'Output', params: { shape: i64(2) } } }, [['input', 'th'], ['th', 'output']]);
    expect((await refusal(p)).message).to.contain('node "th" has type Threshold, got an unsupported NIR type');
  });

  it('shapes that do not compose: a Linear whose weight does not take its input', async () => {
    const p = await write('compose', { input: { type: 'Input', params: { shape: i64(3) } }, fc: { type: 'Linear', params: { weight: f32([2, 4]) } }, lif: lif(2), output: { type: 'Output', params: { shape: i64(2) } } }, [['input', 'fc'], ['fc', 'lif'], ['lif', 'output']]);
    const e = await refusal(p);
    expect(e).to.be.instanceOf(GraphError);
    expect(e.message).to.match(/"fc"/);
    expect(e.message).to.match(/4/);
  });

  it('a population whose parameters do not match its input', async () => {
    const p = await write('popshape', { input: { type: 'Input', params: { shape: i64(3) } }, fc: { type: 'Linear', params: { weight: f32([2, 3]) } }, lif: lif(5), output: { type: 'Output', params: { shape: i64(5) } } }, [['input', 'fc'], ['fc', 'lif'], ['lif', 'output']]);
    const e = await refusal(p);
    expect(e.message).to.match(/"lif"/);
  });

  it('a huge declared Input shape is refused from its numbers, before any tensor exists', async () => {
    const p = await write('huge-input', { input: { type: 'Input', params: { shape: i64(100000, 100000, 3) } }, output: { type: 'Output', params: { shape: i64(100000, 100000, 3) } } }, [['input', 'output']]);
    const before = process.memoryUsage().rss;
    const e = await refusal(p);
    expect(e.message).to.contain(`node "input" parameter shape, got [100000,100000,3] (30000000000 elements); expected at most ${NIR_MAX_ELEMENTS} elements per step`);
    expect(process.memoryUsage().rss - before, 'no large allocation').to.be.lessThan(256 * 2 ** 20);
  });

  it('a dataset declaring a huge shape is refused before it is read (node and dataset named)', async () => {
    const nodes = { input: { type: 'Input', params: { shape: i64(2) } }, fc: { type: 'Linear' }, output: { type: 'Output', params: { shape: i64(2) } } };
    const p = await write('huge-weight', nodes, [['input', 'fc'], ['fc', 'output']], { node: 'fc', key: 'weight', shape: [2 ** 15, 2 ** 15] });
    const before = process.memoryUsage().rss;
    const e = await refusal(p);
    expect(e.message).to.contain('node "fc": dataset "weight" declares 1073741824 elements (shape [32768,32768]), got 1073741824 elements; expected at most');
    expect(process.memoryUsage().rss - before, 'the 4 GiB dataset was not read').to.be.lessThan(256 * 2 ** 20);
  });

  it('a negative or fractional declared dimension', async () => {
    const p = await write('neg', { input: { type: 'Input', params: { shape: i64(-2) } }, output: { type: 'Output', params: { shape: i64(2) } } }, [['input', 'output']]);
    expect((await refusal(p)).message).to.contain('node "input" parameter shape, got [-2]; expected positive integer dimensions');
  });
});
