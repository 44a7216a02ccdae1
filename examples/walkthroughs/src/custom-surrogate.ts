// Walkthrough 2: a surrogate gradient of your own, as a plugin, used by backprop through a spike.
import * as tf from '@tensorflow/tfjs-core';
import { installPlugin, registry, spike, type DeepSpikePlugin, type Surrogate } from '@deepspike/core';

/**
 * A cosine bump: g'(x) = pi/(4a) * cos(pi*x / (2a)) for |x| < a, else 0 (unit area), whose
 * primitive is g(x) = (1 + sin(pi*x / (2a))) / 2 on [-a, a].
 */
export function cosineBump(params: Readonly<Record<string, number>> = {}): Surrogate {
  const a = params.alpha ?? 1;
  if (!(a > 0)) throw new Error(`cosineBump: alpha must be > 0, got ${a}; expected a positive half-width. Pass {alpha: 1}.`);
  return {
    name: 'cosine-bump',
    params: { alpha: a },
    derivative: (x) => (Math.abs(x) < a ? (Math.PI / (4 * a)) * Math.cos((Math.PI * x) / (2 * a)) : 0),
    primitive: (x) => (x <= -a ? 0 : x >= a ? 1 : (1 + Math.sin((Math.PI * x) / (2 * a))) / 2),
  };
}

/** What a plugin package exports: its registry entries and the schema of their options for model files. */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@acme/deepspike-cosine-bump',
  register(r) {
    r.register('surrogate', 'cosine-bump', { description: 'cosine bump pi/(4a) cos(pi x / 2a) on |x| < a', create: (p) => cosineBump(p) });
  },
  schemas: [{
    kind: 'surrogate',
    name: 'cosine-bump',
    schema: { type: 'object', properties: { alpha: { type: 'number', exclusiveMinimum: 0 } }, additionalProperties: false },
  }],
};

export interface SurrogateCheck {
  /** Largest |g'(x) - (g(x+h) - g(x-h)) / 2h| over the sample points. */
  readonly finiteDifferenceError: number;
  /** The points x and the gradient backprop gives through spike(x). */
  readonly x: number[];
  readonly backprop: number[];
  readonly derivative: number[];
}

export function checkCosineBump(): SurrogateCheck {
  // After installPlugin, a model file can say  "surrogate": {"name": "cosine-bump", "params": {"alpha": 0.5}}.
  installPlugin(deepspikePlugin);
  const s = registry.get('surrogate', 'cosine-bump').create({ alpha: 0.5 });
  // The house test for a surrogate: g' against central differences of g (away from the kinks at +-a).
  const x = [-0.9, -0.37, -0.1, 0.05, 0.21, 0.44, 0.8];
  const h = 1e-5;
  const finiteDifferenceError = Math.max(...x.map((v) => Math.abs(s.derivative(v) - (s.primitive!(v + h) - s.primitive!(v - h)) / (2 * h))));
  // Backprop through the Heaviside spike uses g': d/dv sum(spike(v)) = g'(v).
  const grad = tf.grad((v: tf.Tensor) => tf.sum(spike(v, s)));
  const g = grad(tf.tensor1d(x));
  const backprop = Array.from(g.dataSync());
  g.dispose();
  return { finiteDifferenceError, x, backprop, derivative: x.map((v) => s.derivative(v)) };
}
