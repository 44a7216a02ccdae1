/**
 * Part of the plugin room (first-party.ts): which first-party package provides the first-party
 * entries of each kind, for the "did you forget a plugin" hints of registry misses and the DSL's name
 * checks. Names, not imports: core sits below these packages.
 */
export const FIRST_PARTY_PROVIDERS: Readonly<Record<string, string | undefined>> = {
  neuron: '@deepspike/core',
  surrogate: '@deepspike/surrogate',
  norm: '@deepspike/tdbn',
  layer: '@deepspike/core',
  encoder: '@deepspike/core',
  dataset: '@deepspike/datasets',
  loss: '@deepspike/train',
  optimizer: '@deepspike/train',
  schedule: '@deepspike/train',
  target: '@deepspike/neuromorphic',
};

