import { expect } from 'chai';
import { mayBeSparseSpikes } from '@deepspike/backend-native';

/** Binary array with every k-th element 1. */
function every(n: number, k: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i % k === 0 ? 1 : 0));
}

describe('mayBeSparseSpikes (the sampled pre-check of the spike path)', () => {
  it('rejects real-valued inputs and spikes at or above the threshold', () => {
    expect(mayBeSparseSpikes(Float32Array.from({ length: 10000 }, (_, i) => (i % 3) * 0.25), 0.05)).to.equal(false);
    expect(mayBeSparseSpikes(every(100000, 2), 0.05)).to.equal(false);
    expect(mayBeSparseSpikes(every(100000, 10), 0.05)).to.equal(false);
    expect(mayBeSparseSpikes(every(100000, 19), 0.05)).to.equal(false);
  });

  it('accepts sparse spikes and empty inputs (the full scan decides)', () => {
    expect(mayBeSparseSpikes(every(100000, 50), 0.05)).to.equal(true);
    expect(mayBeSparseSpikes(new Float32Array(100000), 0.05)).to.equal(true);
    expect(mayBeSparseSpikes(new Float32Array(0), 0.05)).to.equal(true);
  });

  it('samples one element in 61: a non-binary value off the sample is left to the full scan', () => {
    const x = new Float32Array(6100);
    x[1] = 0.5;
    expect(mayBeSparseSpikes(x, 0.05)).to.equal(true);
    x[61] = 0.5;
    expect(mayBeSparseSpikes(x, 0.05)).to.equal(false);
  });
});
