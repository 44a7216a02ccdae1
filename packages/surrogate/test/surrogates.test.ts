import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Registry, UnknownEntryError, installPlugin, type Surrogate } from '@deepspike/core';
import { checkDerivative, expectClose, expectEqualArrays, loadGolden } from '@deepspike/core/testing';
import { SURROGATE_FAMILIES, deepspikePlugin, rect, rectangular } from '@deepspike/surrogate';
import { NAMES, ourParams } from './golden-names.js';

interface GoldenTensor {
  shape: number[];
  data: number[];
}
interface GoldenVariant {
  params: Record<string, number>;
  forward: GoldenTensor;
  grad: GoldenTensor;
  primitive: GoldenTensor | null;
}
interface GoldenFunction {
  name: string;
  default_params: Record<string, number>;
  variants: GoldenVariant[];
}
interface GoldenFile {
  x: GoldenTensor;
  functions: GoldenFunction[];
}

const golden = loadGolden<GoldenFile>('surrogates.json');
// The grid is float32 ((i-20)/10 correctly rounded): evaluate at those exact values.
const xs: number[] = Array.from(new Float32Array(golden.x.data));
const registry = new Registry();
installPlugin(deepspikePlugin, registry);

/** Kinks of each family for the given params, where g' is not the derivative of g. */
function kinks(name: string, p: Record<string, number>): number[] {
  switch (name) {
    case 'rect':
      return [-0.5 / (p.alpha as number), 0.5 / (p.alpha as number)];
    case 'piecewise-quadratic':
      return [-1 / (p.alpha as number), 0, 1 / (p.alpha as number)];
    case 'piecewise-leaky-relu':
      return [-(p.w as number), p.w as number];
    case 'log-tailed-relu':
      return [0, 1];
    default:
      return [0];
  }
}

describe('surrogates.json (every variant, built from the variant params)', () => {
  it("has g' in tf.js ops for every family but the three whose g' is a series or a special case", () => {
    const without = SURROGATE_FAMILIES.filter((f) => !registry.get('surrogate', f.name).create({}).derivativeOps).map((f) => f.name);
    expect(without).to.deep.equal(['squarewave-fourier-series', 's2nn', 'fake-numerical-gradient']);
  });

  it('covers every SpikingJelly function of the golden file', () => {
    expect(golden.functions.map((f) => NAMES[f.name])).to.not.include(undefined);
    expect(golden.functions.length).to.equal(SURROGATE_FAMILIES.length);
  });

  for (const fn of golden.functions) {
    const name = NAMES[fn.name] as string;
    fn.variants.forEach((variant, vi) => {
      describe(`${name} variant ${vi} ${JSON.stringify(variant.params)}`, () => {
        const s: Surrogate = registry.get('surrogate', name).create(ourParams(variant.params));

        it('forward is Heaviside x >= 0 (H(0) = 1)', () => {
          expectEqualArrays(xs.map((x) => (x >= 0 ? 1 : 0)), variant.forward.data, `${name} forward`);
        });

        it("derivative g'(x) matches the float32 reference", () => {
          expectClose(xs.map((x) => s.derivative(x)), variant.grad.data, { atol: 1e-6, rtol: 1e-5 }, `${name} grad`);
        });

        if (s.derivativeOps) {
          const ops = s.derivativeOps;
          it("derivativeOps (g' in tf.js ops, for backends without the kernel) matches the float32 reference", () => {
            const before = tf.memory().numTensors;
            const x = tf.tensor1d(xs, 'float32');
            const g = ops(x);
            expect(g.dtype).to.equal('float32');
            expect(g.shape).to.deep.equal(x.shape);
            expectClose(g.dataSync(), variant.grad.data, { atol: 1e-6, rtol: 1e-5 }, `${name} derivativeOps`);
            tf.dispose([x, g]);
            expect(tf.memory().numTensors, 'tensor leak').to.equal(before);
          });
        }

        if (variant.primitive) {
          const primitive = variant.primitive;
          it('primitive g(x) matches the reference', () => {
            expect(s.primitive, 'primitive').to.be.a('function');
            expectClose(xs.map((x) => (s.primitive as (x: number) => number)(x)), primitive.data, { atol: 1e-6, rtol: 1e-5 }, `${name} primitive`);
          });

          it("g' agrees with central differences of g away from kinks", () => {
            const ks = kinks(name, s.params);
            const points = [];
            for (let i = 0; i <= 400; i++) {
              const x = -2 + i * 0.01 + 0.0013; // off the grid's exact kink points
              if (ks.every((k) => Math.abs(x - k) > 1e-3)) points.push(x);
            }
            // S2NN's primitive uses log(|x+1| + 1e-5), so g' differs from dg/dx by ~1e-5 relative.
            const tol = name === 's2nn' ? { atol: 1e-6, rtol: 2e-5 } : { atol: 1e-6, rtol: 1e-5 };
            checkDerivative(s.primitive as (x: number) => number, (x) => s.derivative(x), points, { h: 1e-6, ...tol });
          });
        } else {
          it('has no primitive, as in SpikingJelly', () => {
            expect(s.primitive).to.equal(undefined);
          });
        }
      });
    });
  }
});

describe('surrogate registration and parameters', () => {
  it('registers every lower-kebab name plus the rectangular alias, each with a schema fragment', () => {
    const names = registry.names('surrogate');
    expect(names).to.have.members([...Object.values(NAMES), 'rectangular']);
    const fragments = registry.schemas().filter((f) => f.kind === 'surrogate').map((f) => f.name);
    expect(fragments).to.have.members(names);
  });

  it('fills the golden defaults when params are omitted', () => {
    for (const fn of golden.functions) {
      const s = registry.get('surrogate', NAMES[fn.name] as string).create();
      expect(s.params, fn.name).to.deep.equal(ourParams(fn.default_params));
    }
  });

  it('rectangular({width: a}) is rect with alpha = 1/a: (1/a) inside |x| < a/2', () => {
    const s = rectangular({ width: 0.5 });
    expect(s.name).to.equal('rect');
    expect(s.params).to.deep.equal({ alpha: 2 });
    expect([s.derivative(0.2), s.derivative(0.25), s.derivative(-0.2499)]).to.deep.equal([2, 0, 2]);
    expect(registry.get('surrogate', 'rectangular').create({ width: 2 }).params).to.deep.equal({ alpha: 0.5 });
    expect(rect().params).to.deep.equal({ alpha: 1 });
  });

  it('rejects alpha <= 0 in the house format', () => {
    expect(() => rect({ alpha: 0 })).to.throw(
      InvalidArgumentError,
      'rect: parameter "alpha" is out of range, got 0; expected a finite number > 0. Pass e.g. {alpha: 1}.',
    );
    expect(() => registry.get('surrogate', 'sigmoid').create({ alpha: -2 })).to.throw(InvalidArgumentError, /sigmoid: parameter "alpha" is out of range, got -2/);
    expect(() => rectangular({ width: 0 })).to.throw(InvalidArgumentError, /rectangular: parameter "width" is out of range, got 0/);
  });

  it('rejects family-specific ranges, non-numbers and unknown parameters', () => {
    expect(() => registry.get('surrogate', 'q-pseudo-spike').create({ alpha: 1 })).to.throw(InvalidArgumentError, /expected a finite number > 1/);
    expect(() => registry.get('surrogate', 'squarewave-fourier-series').create({ n: 2.5 })).to.throw(InvalidArgumentError, /expected an integer >= 2/);
    expect(() => registry.get('surrogate', 'atan').create({ alpha: Number.NaN })).to.throw(InvalidArgumentError, /got NaN/);
    expect(() => registry.get('surrogate', 'atan').create({ alpah: 2 } as Record<string, number>)).to.throw(
      InvalidArgumentError,
      'atan: unknown parameter "alpah", got {alpah: ...}; expected only alpha. Check the spelling.',
    );
    // LogTailedReLU's default alpha is 0: zero is allowed there, negatives are not.
    expect(registry.get('surrogate', 'log-tailed-relu').create({ alpha: 0 }).derivative(-1)).to.equal(0);
    expect(() => registry.get('surrogate', 'log-tailed-relu').create({ alpha: -0.1 })).to.throw(InvalidArgumentError, />= 0/);
  });

  it('an unknown surrogate name lists the registered ones', () => {
    expect(() => registry.get('surrogate', 'rectangle')).to.throw(UnknownEntryError, /Unknown surrogate "rectangle"\. Registered surrogates: atan, .*rect, rectangular/);
  });
});
