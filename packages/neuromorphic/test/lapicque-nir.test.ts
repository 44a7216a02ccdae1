import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Alpha, type Conv2d, initBackend, installPlugin, Lapicque, PSN, Registry, deepspikePlugin as corePlugin, type Layer } from '@deepspike/core';
import { exportNIR, importNIR, modelToGraph, readNirFile, simulateFloat, type PopulationNode } from '../src/index.js';
import { ChainNet, checkerPython, convFcLayers, expectSpikesMatchOnSmallBatch, randomSpikes, rng, runChecker } from './helpers.js';

const reg = new Registry();
installPlugin(corePlugin, reg);
const tmp = mkdtempSync(join(tmpdir(), 'ds-lapicque-'));

/** conv -> a neuron under test -> flatten -> linear, direct encoding, T = 4. */
class Net extends ChainNet {
  constructor(neuron: Layer) {
    super('net', reg, convFcLayers([['rc', neuron]]));
  }
}

describe('Lapicque to hardware graphs and NIR (Alpha and PSN refused)', () => {
  before(async () => {
    await initBackend('cpu', { log: () => {} });
  });
  // dt = 1 ms, R = 2, C = 1.5 ms: k = 1 - dt/(RC) = 2/3, g = dt/C = 2/3.
  const dt = 1e-3;
  const lap = (): Lapicque => new Lapicque('rc', { vth: 0.3, resistance: 2, capacitance: 1.5e-3, timeStep: dt, reset: 'zero' });

  it('a reset-to-zero Lapicque becomes a population with decay k and gain dt/C whose spikes match the model', () => {
    const model = new Net(lap());
    model.setTraining(false);
    const populations = new Map<Layer, string>();
    const graph = modelToGraph(model, { inputShape: [6, 6, 1], timesteps: 4, populations });
    const pop = graph.nodes.find((n) => n.name === 'rc') as PopulationNode;
    expect(pop.decay as number).to.be.closeTo(2 / 3, 1e-12);
    expect(pop.gain as number).to.be.closeTo(2 / 3, 1e-12);
    expect([pop.reset, pop.threshold]).to.deep.equal(['zero', 0.3]);
    expectSpikesMatchOnSmallBatch(model, graph, populations, 4);
    model.dispose();
  });

  it('exports as a NIR LIF with tau = R*C, r = R (dt = timeStep) and imports back to the same simulation', async () => {
    const model = new Net(lap());
    model.setTraining(false);
    const graph = modelToGraph(model, { inputShape: [6, 6, 1], timesteps: 4 });
    const out = join(tmp, 'lapicque.nir');
    await exportNIR(graph, out, { dt });
    const raw = await readNirFile(out);
    const rc = raw.top.children.get('rc');
    expect(rc?.type).to.equal('LIF');
    const first = (k: string): number => ((rc?.params.get(k) as { data: Float64Array }).data[0] as number);
    expect(first('tau')).to.be.closeTo(2 * 1.5e-3, 1e-15);
    expect(first('r')).to.be.closeTo(2, 1e-12);
    expect([first('v_leak'), first('v_reset'), first('v_threshold')]).to.deep.equal([0, 0, 0.3]);
    const back = (await importNIR(out)).graph;
    const input = randomSpikes(4, 36, 0.5, rng(7));
    const a = simulateFloat(graph, { input });
    const b = simulateFloat(back, { input });
    expect(b.spikeCounts).to.deep.equal(a.spikeCounts);
    expect(Object.values(a.spikeCounts).reduce((p, q) => p + q, 0)).to.be.greaterThan(0);
    model.dispose();
  });

  it('the independent checker nir_check.py accepts the exported Lapicque (as LIF) under --strict and simulates it to our counts', async function () {
    const { python, reason } = checkerPython();
    if (!python) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const model = new Net(lap());
    model.setTraining(false);
    // A constant drive (the conv bias) makes the neurons fire without input: u -> g*b/(1-k) = 2*0.4 > vth.
    (model.layers.get('conv') as Conv2d).bias?.assign(tf.fill([3], 0.4));
    const graph = modelToGraph(model, { inputShape: [6, 6, 1], timesteps: 4 });
    const out = join(tmp, 'lapicque-check.nir');
    await exportNIR(graph, out, { dt, timesteps: 8 });
    expect(runChecker(python as string, [out, '--strict'])).to.match(/^OK lapicque-check\.nir/);
    const ours = simulateFloat(graph, {}, { steps: 8 });
    const sim = JSON.parse(runChecker(python as string, [out, '--simulate', '8', '--dt', String(dt)]).trim().split('\n').at(-1) as string);
    expect(sim.spikes_per_node).to.deep.equal(ours.spikeCounts);
    expect(ours.spikeCounts.rc, 'the bias drives the Lapicque neurons to fire').to.be.greaterThan(0);
    model.dispose();
  });

  it('refuses a subtractive-reset Lapicque, an Alpha and a PSN, saying why and what to use', () => {
    const cases: [Layer, RegExp][] = [
      [new Lapicque('rc', { reset: 'subtract' }), /node "rc" is a Lapicque neuron that resets by subtraction .* expected reset "zero"/],
      [new Alpha('rc'), /node "rc" is a Alpha neuron, which has no NIR primitive or chip population/],
      [new PSN('rc', { timesteps: 4 }), /node "rc" is a PSN neuron, which has no NIR primitive or chip population \(its \[T, T\] weight mixes every time step\)/],
    ];
    for (const [neuron, msg] of cases) {
      const model = new Net(neuron);
      expect(() => modelToGraph(model, { inputShape: [6, 6, 1], timesteps: 4 })).to.throw(msg);
      model.dispose();
    }
  });
});
