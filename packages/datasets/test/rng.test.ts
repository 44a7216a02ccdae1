import { expect } from 'chai';
import { Rng, mixSeed, permutation } from '@deepspike/datasets';

describe('Rng (sfc32)', () => {
  it('continues the same stream after saving and restoring its state', () => {
    const a = new Rng(42);
    for (let i = 0; i < 17; i++) a.next();
    const saved = a.state();
    const expected = Array.from({ length: 10 }, () => a.nextUint32());
    const b = new Rng(saved);
    expect(Array.from({ length: 10 }, () => b.nextUint32())).to.deep.equal(expected);
    const c = new Rng(7);
    c.setState(saved);
    expect(c.nextUint32()).to.equal(expected[0]);
  });

  it('follows the sfc32 recurrence from a given state', () => {
    // t = a + b + d; d += 1; a = b ^ (b >>> 9); b = c + (c << 3); c = rotl(c, 21) + t — worked by hand from (1, 2, 3, 4)
    const r = new Rng([1, 2, 3, 4]);
    expect(r.nextUint32()).to.equal(7);
    expect(r.state()).to.deep.equal([2 ^ (2 >>> 9), 3 + 24, ((3 << 21) | 0) + 7, 5]);
  });

  it('gives different streams for different seeds and uniform-looking values', () => {
    const a = new Rng(1);
    const b = new Rng(2);
    expect(a.nextUint32()).to.not.equal(b.nextUint32());
    const r = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 100000; i++) sum += r.next();
    expect(sum / 100000).to.be.closeTo(0.5, 0.005);
  });

  it('shuffles into a permutation and mixes seeds order-sensitively', () => {
    const p = permutation(1000, new Rng(5));
    expect(Array.from(p).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(p.subarray(0, 20))).to.not.deep.equal(Array.from({ length: 20 }, (_, i) => i));
    expect(mixSeed(1, 2)).to.not.equal(mixSeed(2, 1));
    expect(mixSeed(1, 2)).to.equal(mixSeed(1, 2));
  });
});
