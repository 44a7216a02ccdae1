import { expect } from 'chai';
import { checkModelSync, dslMessages, inferShapes, type ModelSpec } from '@deepspike/dsl';

const spec = (layers: unknown[], head = true): ModelSpec =>
  ({ name: 'zoo', timesteps: 2, input: { shape: [32, 32, 3] }, layers: head ? [...layers, { type: 'globalAvgPool' }, { type: 'linear', units: 10 }] : layers }) as unknown as ModelSpec;

describe('zoo layers: SEW / MS residual blocks and the Spikformer layers', () => {
  it('propagate shapes: patch splitting halves H, W per pool (3x3/2, padding 1); blocks keep the shape', () => {
    const r = inferShapes(
      spec([
        { type: 'spikformerPatchSplit', embed: 64, pools: 2 },
        { type: 'spikformerBlock', heads: 4 },
        { type: 'residual', block: 'sew', connect: 'iand', filters: 32, stride: 2, shortcut: 'projection' },
        { type: 'residual', block: 'ms', filters: 32 },
      ]),
    );
    expect(r.layers.map((l) => [...l.output])).to.deep.equal([[8, 8, 64], [8, 8, 64], [4, 4, 32], [4, 4, 32], [32], [10]]);
    const odd = inferShapes(spec([{ type: 'spikformerPatchSplit', embed: 16, pools: 3 }], false));
    expect([...odd.output]).to.deep.equal([4, 4, 16]);
  });

  it('fill the schema defaults (connect add, pools 2, mlpRatio 4, scale 0.125)', () => {
    const r = checkModelSync(spec([{ type: 'spikformerPatchSplit', embed: 64 }, { type: 'spikformerBlock', heads: 4 }, { type: 'residual', block: 'sew', filters: 64 }]));
    expect(r.problems).to.deep.equal([]);
    const [sps, block, sew] = r.spec!.layers as unknown as Record<string, unknown>[];
    expect([sps!.pools, block!.mlpRatio, block!.scale, sew!.connect]).to.deep.equal([2, 4, 0.125, 'add']);
  });

  it('refuse heads that do not divide the channels, an embed not divisible by 8 and an unknown connect function, each at its JSON path', () => {
    const heads = checkModelSync(spec([{ type: 'spikformerPatchSplit', embed: 64 }, { type: 'spikformerBlock', heads: 5 }]));
    expect(heads.problems.map((p) => [p.path, p.message])).to.deep.equal([['/layers/1/heads', dslMessages.headsDivide(64, 5)]]);
    const embed = checkModelSync(spec([{ type: 'spikformerPatchSplit', embed: 60 }]));
    expect(embed.problems.map((p) => p.path)).to.deep.equal(['/layers/0/embed']);
    const connect = checkModelSync(spec([{ type: 'residual', block: 'sew', connect: 'or', filters: 3 }]));
    expect(connect.problems.map((p) => p.path)).to.deep.equal(['/layers/0/connect']);
    expect(connect.problems[0]!.message).to.include('add');
  });
});
