import { expect } from 'chai';
import { didYouMean, editDistance } from '@deepspike/dsl';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit', () => {
    expect(editDistance('conv2', 'conv2d')).to.equal(1);
    expect(editDistance('strid', 'stride')).to.equal(1);
    expect(editDistance('sigmiod', 'sigmoid')).to.equal(1);
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(editDistance('Linear', 'linear')).to.equal(0);
    expect(editDistance('', 'abc')).to.equal(3);
  });

  it('suggests a close name and nothing for a far one', () => {
    const types = ['conv2d', 'linear', 'norm', 'neuron', 'pool', 'globalAvgPool', 'flatten', 'dropout', 'residual', 'repeat'];
    expect(didYouMean('conv2', types)).to.equal('conv2d');
    expect(didYouMean('Linear', types)).to.equal('linear');
    expect(didYouMean('globalavgpool', types)).to.equal('globalAvgPool');
    expect(didYouMean('residal', types)).to.equal('residual');
    expect(didYouMean('transformer', types)).to.equal(undefined);
    expect(didYouMean('linear', types)).to.equal(undefined);
  });
});
