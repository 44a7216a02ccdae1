/**
 * Side-effect entry: `import '@deepspike-examples/plugin-adaptive-lif/register'` (or
 * `node --import @deepspike-examples/plugin-adaptive-lif/register ...`) installs the plugin into
 * `@deepspike/core`'s default registry, so any DeepSpike command run in that process knows its
 * neuron, surrogate, dataset and target without a `--plugin` flag.
 * @packageDocumentation
 */
import { installPlugin } from '@deepspike/core';
import { deepspikePlugin } from './plugin.js';

installPlugin(deepspikePlugin);
