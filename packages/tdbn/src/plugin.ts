import type { DeepSpikePlugin, NormEntry, NormOptions } from '@deepspike/core';
import { BatchNorm } from './layers/batch-norm.js';
import { BatchNormThroughTime } from './layers/bntt.js';
import { MembranePotentialBN } from './layers/mpbn.js';
import { TdBN } from './layers/tdbn-layer.js';
import { TemporalEffectiveBN } from './layers/tebn.js';
import type { TdbnImplementation } from './ops/tdbn-stats.js';
import { normSchemas } from './schemas.js';

const layerName = (o: NormOptions, fallback: string): string => (typeof o.name === 'string' ? o.name : fallback);
const impl = (o: NormOptions): TdbnImplementation | undefined => o.implementation as TdbnImplementation | undefined;

/**
 * The norm entries of this package, by registered name. `options.name` names the layer. `tdbn` uses
 * `alpha` and `vth`; the plain norms (`bn`, `bntt`, `tebn`) have no alpha*Vth factor and ignore
 * them; `bntt` and `tebn` need `timesteps`.
 */
export const normEntries: Readonly<Record<'tdbn' | 'bn' | 'bntt' | 'tebn' | 'mpbn', NormEntry>> = {
  tdbn: {
    description: 'Threshold-dependent BN (STBP-tdBN): lambda*(alpha*Vth*xhat) + beta, statistics over T, N, H, W.',
    create: (o) =>
      new TdBN(layerName(o, 'tdbn'), {
        channels: o.channels,
        alpha: o.alpha,
        vth: o.vth,
        epsilon: o.epsilon,
        momentum: o.momentum,
        implementation: impl(o),
      }),
  },
  bn: {
    description: 'Plain batch normalisation over T·N (and H, W) per channel.',
    create: (o) => new BatchNorm(layerName(o, 'bn'), { channels: o.channels, epsilon: o.epsilon, momentum: o.momentum, implementation: impl(o) }),
  },
  bntt: {
    description: 'Batch normalisation through time: statistics and parameters per time step.',
    create: (o) =>
      new BatchNormThroughTime(layerName(o, 'bntt'), { channels: o.channels, timesteps: o.timesteps as number, epsilon: o.epsilon, momentum: o.momentum }),
  },
  tebn: {
    description: 'Temporal effective BN: BN over T·N, then a learnable scale per time step.',
    create: (o) =>
      new TemporalEffectiveBN(layerName(o, 'tebn'), {
        channels: o.channels,
        timesteps: o.timesteps as number,
        epsilon: o.epsilon,
        momentum: o.momentum,
        implementation: impl(o),
      }),
  },
  mpbn: {
    description: 'Membrane potential BN (Guo et al. ICCV 2023): BN of the next neuron\'s membrane after the charge, before the fire; folds into per-channel thresholds.',
    create: (o) => new MembranePotentialBN(layerName(o, 'mpbn'), { channels: o.channels, epsilon: o.epsilon, momentum: o.momentum }),
  },
};

/**
 * Registers the norms `tdbn`, `bn`, `bntt`, `tebn`, `mpbn` (kind `norm`, `create(NormOptions)`) and their
 * DSL schema fragments: `loadPlugins(['@deepspike/tdbn'])` or `installPlugin(deepspikePlugin)`.
 */
export const deepspikePlugin: DeepSpikePlugin = {
  name: '@deepspike/tdbn',
  register(registry) {
    for (const [name, entry] of Object.entries(normEntries)) registry.register('norm', name, entry);
  },
  schemas: normSchemas,
};
