import { expect } from 'chai';
import { InvalidArgumentError, registry, installPlugin } from '@deepspike/core';
import { deepspikePlugin, triangle, alifMessages } from '../src/index.js';

describe('triangle surrogate', () => {
  before(() => installPlugin(deepspikePlugin));

  for (const alpha of [0.5, 1, 2]) {
    it(`g' is the central difference of g (alpha ${alpha}), away from the kinks`, () => {
      const s = triangle({ alpha });
      const h = 1e-5;
      for (let x = -2.5 * alpha + 0.013; x < 2.5 * alpha; x += 0.071 * alpha) {
        if ([-alpha, 0, alpha].some((k) => Math.abs(x - k) < 1e-3)) continue;
        const fd = ((s.primitive!(x + h) - s.primitive!(x - h)) / (2 * h));
        expect(s.derivative(x)).to.be.closeTo(fd, 1e-6);
      }
    });
  }

  it('has unit area, peak 1/alpha at 0 and is zero beyond alpha', () => {
    const s = triangle({ alpha: 0.5 });
    let area = 0;
    for (let x = -1; x < 1; x += 1e-4) area += s.derivative(x + 5e-5) * 1e-4;
    expect(area).to.be.closeTo(1, 1e-6);
    expect(s.derivative(0)).to.equal(2);
    expect(s.derivative(0.25)).to.equal(1);
    expect(s.derivative(0.5)).to.equal(0);
    expect([s.primitive!(-0.6), s.primitive!(0), s.primitive!(0.6)]).to.deep.equal([0, 0.5, 1]);
  });

  it('is registered as surrogate "triangle" with its default alpha', () => {
    const s = registry.get('surrogate', 'triangle').create();
    expect([s.name, s.params]).to.deep.equal(['triangle', { alpha: 1 }]);
  });

  it('rejects a non-positive alpha', () => {
    expect(() => triangle({ alpha: 0 })).to.throw(InvalidArgumentError, alifMessages.surrogateParam('alpha', 0));
  });
});
