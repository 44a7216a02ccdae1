import { expect } from 'chai';
import { deepspikePlugin as corePlugin, installPlugin, PluginError, Registry, type DeepSpikePlugin, type Layer as CoreLayer } from '@deepspike/core';
import { checkModelSync, compileDsl, dslMessages as m, FIRST_PARTY_PLUGINS, inferShapes, loadDslPlugins, validateModelSync } from '@deepspike/dsl';

const noLayer = {} as CoreLayer;

/** A plugin as a third party would write it: a layer type, a surrogate, an encoder and two datasets. */
const testPlugin: DeepSpikePlugin = {
  name: '@acme/deepspike-test',
  register(r) {
    r.register('layer', 'lateral', {
      create: () => noLayer,
      // outputShape is optional; this layer doubles the channels
      outputShape: (_o: unknown, input: readonly number[]) => [...input.slice(0, -1), 2 * (input[input.length - 1] as number)],
    } as never);
    r.register('surrogate', 'rect', { create: () => ({ name: 'rect', params: {}, derivative: () => 0 }) });
    r.register('encoder', 'burst', { create: () => ({ name: 'burst', encode: (x) => x }) });
    r.register('dataset', 'digits', { inputShape: [8, 8, 1], classes: 10 } as never);
    r.register('dataset', 'gestures', { inputShape: (o: { frames?: number }) => [o.frames ?? 16, 32, 32, 2], classes: 11 } as never);
  },
  schemas: [
    {
      kind: 'layer',
      name: 'lateral',
      schema: { type: 'object', properties: { radius: { type: 'integer', minimum: 1, default: 1 } }, required: ['radius'] },
    },
    { kind: 'surrogate', name: 'rect', schema: { type: 'object', properties: { alpha: { type: 'number', exclusiveMinimum: 0 } }, additionalProperties: false } },
    { kind: 'encoder', name: 'burst', schema: { type: 'object', properties: { spikes: { type: 'integer', minimum: 1 } }, additionalProperties: false } },
  ],
};

function fresh(): Registry {
  const r = new Registry();
  installPlugin(corePlugin, r);
  installPlugin(testPlugin, r);
  return r;
}

const base = { name: 'p', input: { shape: [8, 8, 1] }, timesteps: 2 };

describe('plugin schema fragments', () => {
  it('adds a plugin layer type to the DSL, with its options checked and its output shape used', () => {
    const registry = fresh();
    const layers = [{ type: 'lateral', radius: 2 }, { type: 'flatten' }, { type: 'linear', units: 10 }];
    const spec = validateModelSync({ ...base, layers }, { registry });
    expect(inferShapes(spec, { registry }).layers.map((l) => l.output)).to.deep.equal([[8, 8, 2], [128], [10]]);
    const bad = checkModelSync({ ...base, layers: [{ type: 'lateral', radius: 0, radios: 1 }, ...layers.slice(1)] }, { registry });
    expect(bad.problems.map((p) => [p.path, p.message])).to.deep.equal([
      ['/layers/0/radius', m.bound(0, '>=', 1)],
      ['/layers/0/radios', m.unknownProperty('radios', ['type', 'name', 'radius'], 'radius')],
    ]);
  });

  it('collapses anyOf alternatives in a fragment to the one message that matters', () => {
    const registry = new Registry();
    installPlugin(corePlugin, registry);
    installPlugin(
      {
        name: '@acme/anyof',
        register: (r) => r.register('layer', 'shift', { create: () => noLayer }),
        schemas: [
          {
            kind: 'layer',
            name: 'shift',
            schema: {
              type: 'object',
              properties: {
                by: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 }] },
              },
            },
          },
        ],
      },
      registry,
    );
    const problems = (by: unknown) =>
      checkModelSync({ ...base, input: { shape: [4] }, layers: [{ type: 'shift', by }, { type: 'linear', units: 2 }] }, { registry }).problems.map((p) => [
        p.path,
        p.message,
      ]);
    expect(problems('x')).to.deep.equal([['/layers/0/by', m.wrongType('x', ['integer', 'array'])]]);
    expect(problems(-1)).to.deep.equal([['/layers/0/by', m.bound(-1, '>=', 0)]]);
    expect(problems([1])).to.deep.equal([['/layers/0/by', m.itemCount(1, 'at least', 2)]]);
    expect(problems([1, 2])).to.deep.equal([]);
  });

  it('accepts a layer registered without a schema fragment, options unchecked', () => {
    const registry = new Registry();
    installPlugin(corePlugin, registry);
    registry.register('layer', 'gate', { create: () => noLayer });
    const r = checkModelSync({ ...base, input: { shape: [4] }, layers: [{ type: 'gate', anything: [1] }, { type: 'linear', units: 2 }] }, { registry });
    expect(r.problems).to.deep.equal([]);
    expect(compileDsl(registry).layerTypes).to.include('gate');
  });

  it('lists plugin layer types after the built-in ones in "unknown layer type"', () => {
    const registry = fresh();
    const r = checkModelSync({ ...base, layers: [{ type: 'laterl' }] }, { registry });
    const known = ['conv2d', 'linear', 'norm', 'neuron', 'pool', 'globalAvgPool', 'flatten', 'dropout', 'residual', 'spikformerPatchSplit', 'spikformerBlock', 'repeat', 'lateral'];
    expect(r.problems.map((p) => p.message)).to.deep.equal([m.unknownLayerType('laterl', known, 'lateral')]);
    // without the plugin, the name is unknown and not suggested
    const plain = new Registry();
    installPlugin(corePlugin, plain);
    const without = checkModelSync({ ...base, layers: [{ type: 'lateral', radius: 1 }] }, { registry: plain });
    expect(without.problems.map((p) => p.message)).to.deep.equal([m.unknownLayerType('lateral', known.slice(0, -1), undefined)]);
  });

  it('checks surrogate parameters against the surrogate fragment, at their own path', () => {
    const registry = fresh();
    const defaults = { neuron: { surrogate: { name: 'rect', params: { alpha: -1, alhpa: 2 } } } };
    const r = checkModelSync({ ...base, input: { shape: [4] }, defaults, layers: [{ type: 'linear', units: 2 }] }, { registry });
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.equal([
      ['/defaults/neuron/surrogate/params/alpha', m.bound(-1, '>', 0)],
      ['/defaults/neuron/surrogate/params/alhpa', m.unknownProperty('alhpa', ['alpha'], 'alpha')],
    ]);
  });

  it('checks encoder options and knows plugin encoders plus "events"', () => {
    const registry = fresh();
    const layers = [{ type: 'flatten' }, { type: 'linear', units: 10 }];
    expect(checkModelSync({ ...base, input: { shape: [8, 8, 1], encoding: 'burst', encoderOptions: { spikes: 3 } }, layers }, { registry }).valid).to.equal(true);
    const r = checkModelSync({ ...base, input: { shape: [8, 8, 1], encoding: 'burst', encoderOptions: { spikes: 0 } }, layers }, { registry });
    expect(r.problems.map((p) => [p.path, p.message])).to.deep.equal([['/input/encoderOptions/spikes', m.bound(0, '>=', 1)]]);
    const e = checkModelSync({ ...base, input: { shape: [8, 8, 1], encoding: 'brust' }, layers }, { registry });
    expect(e.problems.map((p) => p.message)).to.deep.equal([m.unknownName('encoding', 'brust', [...registry.names('encoder'), 'events'], 'burst', '@deepspike/core')]);
  });

  it('compares input.shape and the classes with what the dataset entry declares', () => {
    const registry = fresh();
    const layers = [{ type: 'flatten' }, { type: 'linear', units: 10 }];
    expect(checkModelSync({ ...base, layers, training: { dataset: { name: 'digits' } } }, { registry }).valid).to.equal(true);
    const shape = checkModelSync({ ...base, input: { shape: [28, 28, 1] }, layers, training: { dataset: { name: 'digits' } } }, { registry });
    expect(shape.problems.map((p) => [p.path, p.message])).to.deep.equal([['/input/shape', m.datasetShape('digits', [8, 8, 1], [28, 28, 1])]]);
    const classes = checkModelSync({ ...base, layers: [{ type: 'flatten' }, { type: 'linear', units: 9 }], training: { dataset: { name: 'digits' } } }, { registry });
    expect(classes.problems.map((p) => [p.path, p.message])).to.deep.equal([['/layers/1', m.datasetClasses('digits', 10, [9])]]);
  });

  it('checks event frames [T, H, W, 2] against timesteps and input.shape', () => {
    const registry = fresh();
    const spec = (timesteps: number, frames: number) => ({
      name: 'g',
      input: { shape: [32, 32, 2], encoding: 'events' },
      timesteps,
      layers: [{ type: 'globalAvgPool' }, { type: 'linear', units: 11 }],
      training: { dataset: { name: 'gestures', options: { frames } } },
    });
    expect(checkModelSync(spec(20, 20), { registry }).valid).to.equal(true);
    const r = checkModelSync(spec(16, 20), { registry });
    expect(r.problems.map((p) => p.message)).to.deep.equal([m.datasetShape('gestures', [20, 32, 32, 2], [16, 32, 32, 2])]);
  });

  it('compiles the DSL once per set of layer fragments', () => {
    const a = fresh();
    const b = fresh();
    expect(compileDsl(a)).to.equal(compileDsl(b));
    expect(compileDsl(new Registry())).to.not.equal(compileDsl(a));
    expect(compileDsl(a).layerTypes).to.include('lateral');
  });

  it('loads the installed first-party plugins, and refuses an extra plugin that is not installed', async () => {
    const registry = new Registry();
    const loaded = await loadDslPlugins([], registry);
    expect(loaded[0]).to.equal('@deepspike/core');
    expect(loaded.every((n) => FIRST_PARTY_PLUGINS.includes(n))).to.equal(true);
    expect(registry.loadedPlugins()).to.deep.equal(loaded);
    const err = await loadDslPlugins(['@acme/not-installed'], registry).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PluginError);
  });
});
