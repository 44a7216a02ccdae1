/**
 * The model-file defaults codegen applies when a spec leaves a setting out. They mirror the
 * `default`s of `@deepspike/dsl`'s schemas (a test keeps them in step), so a spec that was not
 * run through the validator (ajv fills defaults) builds the same model as one that was. Neuron and
 * norm settings are resolved by `@deepspike/dsl`'s `resolveNeuron` / `resolveNorm`.
 */
export const SPEC_DEFAULTS = {
  encoding: 'direct',
  readout: 'membrane',
  seed: 0,
  conv2d: { stride: 1, padding: 'same', bias: false },
  linear: { bias: true },
  normLayer: { alpha: 1 },
  pool: { mode: 'avg', padding: 'valid' },
  spikformerPatchSplit: { pools: 2 },
  spikformerBlock: { mlpRatio: 4, scale: 0.125 },
  residual: { block: 'basic', stride: 1, expansion: 4, shortcut: 'identity', alpha: Math.SQRT1_2, connect: 'add' },
} as const;
