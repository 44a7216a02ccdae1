import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { encodeInput, initBackend, type Layer } from '@deepspike/core';
import { expectClose } from '@deepspike/core/testing';
import { buildModel, emitModel, type BuiltModel } from '@deepspike/codegen';
import { validateModelSync, type ModelSpec } from '@deepspike/dsl';
import { firstPartyRegistry } from './helpers/compile.js';

/**
 * Layer-by-layer equivalence of the zoo architectures of issue 21 with PyTorch formulations written
 * from the papers' equations (tools/arch-reference/arch_vectors.py, float64, training mode): each
 * case builds its tiny model file with buildModel, loads the reference's parameters by name, and
 * compares every top-level layer's output, the logits and every parameter's gradient.
 */
interface Arr {
  readonly shape: number[];
  readonly data: number[];
}
interface Case {
  readonly spec: ModelSpec;
  readonly params: Record<string, Arr>;
  readonly input: Arr;
  readonly layers: Record<string, Arr & { mean: number }>;
  readonly logits: Arr;
  readonly r: Arr;
  readonly grads: Record<string, Arr>;
}
const load = (file: string): Record<string, Case> =>
  (JSON.parse(readFileSync(fileURLToPath(new URL(`./data/arch/${file}`, import.meta.url)), 'utf8')) as { cases: Record<string, Case> }).cases;

/** Spikes are compared exactly (a float32 flip at a threshold would show as a mismatch); currents to float32 accuracy. */
const TOL = { atol: 2e-4, rtol: 2e-4 };

function loadParams(model: BuiltModel, c: Case): void {
  const named = model.namedParameters();
  const trainable = [...model.trainableParameters().keys()].sort();
  expect(trainable, 'the reference has exactly the trainable parameters of the model').to.deep.equal(Object.keys(c.params).sort());
  for (const [k, v] of Object.entries(c.params)) {
    const p = named.get(k)!;
    expect(p.shape, k).to.deep.equal(v.shape);
    p.assign(tf.tensor(v.data, v.shape));
  }
}

/** Runs every case of a vectors file through buildModel and compares it layer by layer. */
export function checkCases(file: string, title: string, extra: (c: Case, model: BuiltModel) => void = () => {}): void {
  describe(`${title} equals its PyTorch formulation (${file})`, function () {
    this.timeout(120_000);
    const registry = firstPartyRegistry();
    before(async () => {
      await initBackend('cpu', { log: () => {} });
    });
    for (const [name, c] of Object.entries(load(file))) {
      it(`${name}: every layer's output, the logits and every parameter's gradient`, () => {
        const spec = validateModelSync(c.spec, { registry }) as unknown as ModelSpec;
        const model = buildModel(spec, { registry });
        loadParams(model, c);
        const x = tf.tensor(c.input.data, c.input.shape);
        // layer by layer, on the same encoded input the model's forward uses
        let h: Tensor = encodeInput(x, model.encoder, model.timesteps, model.plan.inputShape, 'test');
        for (const [field, want] of Object.entries(c.layers)) {
          const layer = model.layers.get(field) as Layer;
          expect(layer, `layer ${field}`).to.not.equal(undefined);
          const next = layer.forward(h);
          h.dispose();
          h = next;
          expect(h.shape, field).to.deep.equal(want.shape);
          expectClose(h.dataSync(), want.data, TOL, `${name}: ${field} output`);
        }
        h.dispose();
        model.resetState();
        const r = tf.tensor(c.r.data, c.r.shape);
        const vars = [...model.trainableParameters().entries()];
        const { value, grads } = tf.variableGrads(() => {
          const logits = model.forward(x);
          expectClose(logits.dataSync(), c.logits.data, TOL, `${name}: logits`);
          return tf.sum(tf.mul(logits, r)) as tf.Scalar;
        }, vars.map(([, v]) => v));
        for (const [k, v] of vars) {
          const g = grads[v.name];
          expect(g, `gradient of ${k}`).to.not.equal(undefined);
          expectClose(g!.dataSync(), c.grads[k]!.data, { atol: 5e-4, rtol: 1e-3 }, `${name}: d loss / d ${k}`);
        }
        // the generated class is the same network as the runtime build
        const emitted = emitModel(spec, { sourceFile: `${spec.name}.snn.json` });
        expect(emitted.content).to.include(`export class`);
        extra(c, model);
        tf.dispose([x, r, value, ...Object.values(grads)]);
        model.dispose();
      });
    }
  });
}

checkCases('sew.json', 'SEW-ResNet blocks (ADD, AND, IAND)', (c, model) => {
  const b2 = model.layers.get('block2')!;
  // the spiking downsample: conv1x1 - norm - neuron on the shortcut
  expect([...b2.childLayers().keys()]).to.deep.equal(['conv1', 'norm1', 'neuron1', 'conv2', 'norm2', 'neuron2', 'shortcutConv', 'shortcutNorm', 'shortcutNeuron']);
  // AND and IAND keep the outputs binary; ADD does not (integer counts 0, 1, 2)
  const out = c.layers['block1']!.data;
  const connect = (c.spec.layers[3] as { connect: string }).connect;
  expect(out.every((v) => v === 0 || v === 1), `${connect} output binary`).to.equal(connect !== 'add');
  if (connect === 'add') expect(out.some((v) => v === 2)).to.equal(true);
});
checkCases('ms.json', 'MS-ResNet blocks (membrane shortcut)', (_c, model) => {
  expect([...model.layers.get('block2')!.childLayers().keys()]).to.deep.equal(['neuron1', 'conv1', 'norm1', 'neuron2', 'conv2', 'norm2', 'shortcutConv', 'shortcutNorm']);
});
checkCases('vgg.json', 'Spiking VGG (conv-tdBN-LIF stages, average pools)');
checkCases('spikformer.json', 'Spikformer (SPS, spiking self-attention, MLP block)', (_c, model) => {
  expect([...model.layers.get('block1')!.namedParameters().keys()].filter((k) => k.endsWith('kernel'))).to.deep.equal([
    'attention.q.kernel',
    'attention.k.kernel',
    'attention.v.kernel',
    'attention.proj.kernel',
    'mlp.fc1.kernel',
    'mlp.fc2.kernel',
  ]);
});
