#!/usr/bin/env node
// The README's main job until training lands: choose the backend, load the first-party plugins
// that exist, list the registry, and train one step of a tiny conv layer to show gradients flow on
// the chosen backend (DeepSpike's own Conv2D gradient on wasm).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, loadPlugins, registry, REGISTRY_KINDS } from '@deepspike/core';

await initBackend();
await loadPlugins(['@deepspike/core']);
for (const kind of REGISTRY_KINDS) {
  const names = registry.names(kind);
  if (names.length > 0) console.log(`registry ${kind}: ${names.join(', ')}`);
}
const x = tf.randomNormal([8, 28, 28, 1], 0, 1, 'float32', 1);
const w = tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.3, 'float32', 2));
const opt = tf.train.sgd(0.01);
const loss = () => tf.mean(tf.square(tf.conv2d(x, w, 1, 'same')));
const before = loss().dataSync()[0];
const t0 = performance.now();
opt.minimize(loss);
const after = loss().dataSync()[0];
console.log(`one SGD step of a 3x3 conv on ${tf.getBackend()}: loss ${before.toFixed(4)} -> ${after.toFixed(4)} in ${(performance.now() - t0).toFixed(1)} ms`);
