/**
 * An example third-party DeepSpike plugin, built as an outsider would: it depends only on the
 * published `@deepspike/*` packages and exports `deepspikePlugin`, which registers an
 * adaptive-threshold LIF neuron (`adaptive-lif`), a surrogate (`triangle`), a generated dataset
 * (`toy-spike-patterns`) and a chip target (`toy-chip`), each with its DSL schema fragment.
 * @packageDocumentation
 */
export { deepspikePlugin } from './plugin.js';
export { AdaptiveLIF, ADAPTIVE_LIF_DEFAULTS, type AdaptiveLIFOptions } from './adaptive-lif.js';
export { adaptiveLif, adaptiveLifStep, checkAdaptiveParams, type AdaptiveLIFParams } from './adaptive-lif-op.js';
export { triangle, triangleEntry } from './triangle.js';
export { openToyPatterns, toyPattern, toyPatternsEntry, TOY_PATTERNS_DEFAULTS, type ToyPatternsOptions, type ToyPatternsConfig } from './toy-patterns.js';
export { toyChip, toyChipEntry, TOY_CHIP_DEFAULTS } from './toy-chip.js';
export { adaptiveLifSchemas } from './schemas.js';
export { alifMessages } from './messages.js';
