import { deepspikePlugin as corePlugin, installPlugin, registry as defaultRegistry, type Registry } from '@deepspike/core';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import { deepspikePlugin as datasetsPlugin } from '@deepspike/datasets';
import { deepspikePlugin as trainPlugin } from '@deepspike/train';

/**
 * Installs (idempotently) the plugins the paper benchmarks need — neurons and encoders (core),
 * surrogates, norms, datasets, losses/optimisers (train); `mnist-saccade` comes with the datasets — from
 * this module graph, so no second copy of tf.js is loaded by a dynamic import.
 */
export function installPaperPlugins(registry: Registry = defaultRegistry): void {
  for (const p of [corePlugin, surrogatePlugin, tdbnPlugin, datasetsPlugin, trainPlugin]) installPlugin(p, registry);
}
