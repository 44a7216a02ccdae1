import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, type Layer } from '@deepspike/core';

/** Initialisations of the depth ablation's weights. */
export const INITS = ['default', 'kaiming'] as const;
/** An initialisation name. */
export type InitName = (typeof INITS)[number];

/** What each initialisation is, in words (recorded in the results). */
export const INIT_DESCRIPTIONS: Readonly<Record<InitName, string>> = {
  default: "PyTorch's default for nn.Conv2d/nn.Linear: W ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform_ with a = sqrt(5)), biases the same",
  kaiming: "Kaiming normal (He et al. 2015, fan_in, ReLU gain): W ~ N(0, 2/fan_in) (torch.nn.init.kaiming_normal_), biases as default",
};

/** The weight kernels (`*.kernel` of convs and linears) of a model, from input to output. */
export function weightKernels(model: Layer): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, v] of model.trainableParameters()) if (name === 'kernel' || name.endsWith('.kernel')) out.set(name, v);
  return out;
}

/**
 * Re-initialises the weight kernels. `default` keeps what the layers made (core's Conv2d/Linear already
 * use PyTorch's default); `kaiming` draws `N(0, 2/fan_in)` with fan_in = the product of all but the
 * last kernel axis (`kh·kw·cin` or `in`), seeded per parameter name.
 */
export function applyInit(model: Layer, init: InitName, seed: number): void {
  if (init === 'default') return;
  for (const [name, v] of weightKernels(model)) {
    const fanIn = v.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, Math.sqrt(2 / fanIn), 'float32', deriveSeed(seed, `${name}.kaiming`))));
  }
}
