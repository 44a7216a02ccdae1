/** Where the class of a first-party registry entry lives, so generated fields get concrete types. */
export interface KnownClass {
  readonly className: string;
  readonly module: string;
  /**
   * The neuron works on whole sequences of a fixed T (a [T, T] parameter, as PSN): codegen passes it
   * the model's `timesteps` and, as a layer of its own, `seed: deriveSeed(seed, field)`.
   */
  readonly sequence?: true;
}

/**
 * The classes first-party neuron and norm kinds build. A generated model types such a field with the
 * class and checks it at construction (`asLayerClass`); kinds not listed (plugins) are typed
 * `NeuronLayer` / `Layer`.
 */
export const KNOWN_CLASSES: Readonly<Record<'neuron' | 'norm', Readonly<Record<string, KnownClass>>>> = {
  neuron: {
    lif: { className: 'LIF', module: '@deepspike/core' },
    if: { className: 'IF', module: '@deepspike/core' },
    plif: { className: 'PLIF', module: '@deepspike/core' },
    alpha: { className: 'Alpha', module: '@deepspike/core' },
    lapicque: { className: 'Lapicque', module: '@deepspike/core' },
    psn: { className: 'PSN', module: '@deepspike/core', sequence: true },
  },
  norm: {
    tdbn: { className: 'TdBN', module: '@deepspike/tdbn' },
    bn: { className: 'BatchNorm', module: '@deepspike/tdbn' },
    bntt: { className: 'BatchNormThroughTime', module: '@deepspike/tdbn' },
    tebn: { className: 'TemporalEffectiveBN', module: '@deepspike/tdbn' },
    mpbn: { className: 'MembranePotentialBN', module: '@deepspike/tdbn' },
  },
};
