import { loadInstalledPlugins, registry as defaultRegistry, type Registry } from '@deepspike/core';

/**
 * Installs (idempotently) the plugins the paper benchmarks need — neurons and encoders (core),
 * surrogates, norms, datasets (with `mnist-saccade`), losses/optimisers (train) — through core's one
 * plugin loader, `loadInstalledPlugins` (the first-party list lives there).
 */
export async function installPaperPlugins(registry: Registry = defaultRegistry): Promise<void> {
  await loadInstalledPlugins(registry);
}
