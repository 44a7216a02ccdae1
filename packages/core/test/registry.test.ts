import { expect } from 'chai';
import {
  DuplicateEntryError,
  PluginError,
  Registry,
  UnknownEntryError,
  installPlugin,
  loadPlugins,
  directEncoder,
  type DeepSpikePlugin,
  type EncoderEntry,
} from '@deepspike/core';

const entry = (name: string): EncoderEntry => ({ description: name, create: () => ({ ...directEncoder(), name }) });

describe('Registry', () => {
  it('returns what was registered, typed by kind', () => {
    const reg = new Registry();
    const e = entry('a');
    reg.register('encoder', 'a', e);
    expect(reg.get('encoder', 'a')).to.equal(e);
    expect(reg.has('encoder', 'a')).to.equal(true);
    expect(reg.has('neuron', 'a')).to.equal(false);
  });

  it('throws on a duplicate and names the original plugin', () => {
    const reg = new Registry();
    reg.register('encoder', 'a', entry('a'), { plugin: 'pkg-one' });
    expect(() => reg.register('encoder', 'a', entry('b'), { plugin: 'pkg-two' })).to.throw(
      DuplicateEntryError,
      'registry.register: encoder "a" is already registered by pkg-one, got a second registration from pkg-two; expected each name once. Pick another name, or pass {override: true} to replace it on purpose.',
    );
  });

  it('replaces an entry when overriding', () => {
    const reg = new Registry();
    reg.register('encoder', 'a', entry('first'));
    const second = entry('second');
    reg.register('encoder', 'a', second, { override: true });
    expect(reg.get('encoder', 'a')).to.equal(second);
    expect(reg.names('encoder')).to.deep.equal(['a']);
  });

  it('answers a miss with the registered names, the provider and the loaded plugins', () => {
    const reg = new Registry();
    reg.register('encoder', 'poisson', entry('p'));
    reg.register('encoder', 'direct', entry('d'));
    reg.register('encoder', 'latency', entry('l'));
    reg.markPluginLoaded('@deepspike/core');
    expect(() => reg.get('encoder', 'posson')).to.throw(
      UnknownEntryError,
      'Unknown encoder "posson". Registered encoders: direct, latency, poisson. Did you forget to install a plugin package? First-party encoders come from @deepspike/core; loaded plugins: @deepspike/core.',
    );
  });

  it('keeps kinds apart', () => {
    const reg = new Registry();
    reg.register('encoder', 'x', entry('x'));
    expect(() => reg.get('surrogate', 'x')).to.throw(UnknownEntryError, 'Unknown surrogate "x". Registered surrogates: (none).');
  });
});

describe('plugins', () => {
  const plugin: DeepSpikePlugin = {
    name: 'test-plugin',
    register(r) {
      r.register('encoder', 'from-plugin', entry('from-plugin'));
    },
    schemas: [{ kind: 'encoder', name: 'from-plugin', schema: { type: 'object' } }],
  };

  it('installs a plugin once, records its origin and merges its schemas', () => {
    const reg = new Registry();
    expect(installPlugin(plugin, reg)).to.equal(true);
    expect(installPlugin(plugin, reg)).to.equal(false);
    expect(reg.list('encoder')).to.have.length(1);
    expect(reg.list('encoder')[0]?.plugin).to.equal('test-plugin');
    expect(reg.schemas()).to.deep.equal([{ kind: 'encoder', name: 'from-plugin', schema: { type: 'object' } }]);
    expect(reg.loadedPlugins()).to.deep.equal(['test-plugin']);
  });

  it('registers first-party entries the same way (core by package name)', async () => {
    const reg = new Registry();
    await loadPlugins(['@deepspike/core'], reg);
    expect(reg.names('encoder')).to.deep.equal(['direct', 'latency', 'poisson']);
    expect(reg.list('encoder').every((e) => e.plugin === '@deepspike/core')).to.equal(true);
  });

  it('loads an example plugin package from examples/ by name', async () => {
    const reg = new Registry();
    await loadPlugins(['@deepspike/core', '@deepspike-examples/plugin-rank-order'], reg);
    expect(reg.names('encoder')).to.include('rank-order');
    expect(reg.loadedPlugins()).to.deep.equal(['@deepspike/core', '@deepspike-examples/plugin-rank-order']);
  });

  it('says which plugins are loaded and how to install a missing one', async () => {
    const reg = new Registry();
    await loadPlugins(['@deepspike/core'], reg);
    try {
      await loadPlugins(['@acme/not-installed'], reg);
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(PluginError);
      const msg = (err as Error).message;
      expect(msg).to.match(/^loadPlugins: cannot import plugin package "@acme\/not-installed": /);
      expect(msg).to.contain('Loaded plugins: @deepspike/core. Install it with `npm install @acme/not-installed`.');
    }
  });

  it('rejects a package that exports no deepspikePlugin', async () => {
    const reg = new Registry();
    try {
      await loadPlugins(['@tensorflow/tfjs-backend-cpu'], reg);
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(PluginError);
      expect((err as Error).message).to.match(/^loadPlugins: package "@tensorflow\/tfjs-backend-cpu" is not a DeepSpike plugin, got exports \{.*MathBackendCPU.*\}; expected an export `deepspikePlugin/);
    }
  });
});
