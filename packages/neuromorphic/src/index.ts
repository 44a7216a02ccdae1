/**
 * @deepspike/neuromorphic — the hardware side of DeepSpike: a hardware graph of the trained network,
 * NIR import/export, chip targets, design-rule checks, partition/placement, energy, tdBN folding,
 * quantisation, and float/integer simulators.
 * @packageDocumentation
 */
export { messages } from './messages.js';
export type * from './graph/types.js';
export * from './graph/params.js';
export * from './graph/shapes.js';
export * from './graph/validate.js';
export * from './graph/order.js';
export * from './sim/dense-ops.js';
export * from './sim/event-kernels.js';
export * from './sim/event-plan.js';
export * from './sim/float-sim.js';
export { NIR_MAX_ELEMENTS, NirError, readNirFile, type NirRawFile, type NirRawNode, type NirValue } from './nir/raw.js';
export * from './nir/import.js';
export * from './nir/export.js';
export * from './emit/netx.js';
export * from './emit/speck.js';
export * from './nir/npy.js';
export * from './nir/layout.js';
export type * from './targets/profile.js';
export * from './targets/chips.js';
export * from './targets/boards.js';
export * from './targets/schemas.js';
export * from './graph/hardware-neuron.js';
export { deepspikePlugin } from './plugin.js';
export * from './mapping/layers.js';
export * from './mapping/partition.js';
export * from './mapping/traffic.js';
export * from './mapping/placement.js';
export * from './mapping/speck-match.js';
export * from './mapping/drc.js';
export * from './mapping/energy.js';
export * from './mapping/chip-partition.js';
export * from './mapping/map-graph.js';
export * from './fold/fold.js';
export * from './quant/quantize.js';
export * from './sim/int-sim.js';
export * from './convert/model-to-graph.js';
export * from './convert/verify.js';
export * from './report/map-model.js';
export * from './report/html.js';
export * from './convert/batches.js';
export * from './convert/graph-to-spec.js';
